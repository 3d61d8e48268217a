import type { Db } from "@/lib/db/prisma";

// Per instance, the editions scanned at lately, by slug: a scan then makes no query before its own. An edition's
// id never changes; a slug changed in the back office reaches the other instances within these seconds.
const REMEMBERED_MS = 5_000;
const REMEMBERED_MAX = 1_000;
const remembered = new Map<string, { edition: { id: string }; until: number }>();
// The other way, for the scan counter's label (lib/metrics): filled by the same lookups, so a scan asks nothing more.
const slugs = new Map<string, { slug: string; until: number }>();

function remember(slug: string, edition: { id: string }, now: number) {
  if (remembered.size >= REMEMBERED_MAX) remembered.clear();
  if (slugs.size >= REMEMBERED_MAX) slugs.clear();
  remembered.set(slug, { edition, until: now + REMEMBERED_MS });
  slugs.set(edition.id, { slug, until: now + REMEMBERED_MS });
}

/** The edition a scan names by its slug, or null (unknown slugs are not remembered). */
export async function doorEdition(db: Db, slug: string, now = Date.now()): Promise<{ id: string } | null> {
  const known = remembered.get(slug);
  if (known && known.until > now) return known.edition;
  const edition = await db.edition.findUnique({ where: { slug }, select: { id: true } });
  if (edition) remember(slug, edition, now);
  return edition;
}

/** The slug of an edition scanned at, by its id: remembered from the door's lookups, else read. */
export async function doorEditionSlug(db: Pick<Db, "$queryRaw">, editionId: string, now = Date.now()) {
  const known = slugs.get(editionId);
  if (known && known.until > now) return known.slug;
  const [row] = await db.$queryRaw<{ slug: string }[]>`SELECT slug FROM "Edition" WHERE id = ${editionId}::uuid`;
  if (row) remember(row.slug, { id: editionId }, now);
  return row?.slug ?? "unknown";
}
