import type { Db } from "@/lib/db/prisma";

// Per instance, the editions scanned at lately, by slug: a scan then makes no query before its own. An edition's
// id never changes; a slug changed in the back office reaches the other instances within these seconds.
const REMEMBERED_MS = 5_000;
const REMEMBERED_MAX = 1_000;
const remembered = new Map<string, { edition: { id: string }; until: number }>();

/** The edition a scan names by its slug, or null (unknown slugs are not remembered). */
export async function doorEdition(db: Db, slug: string, now = Date.now()): Promise<{ id: string } | null> {
  const known = remembered.get(slug);
  if (known && known.until > now) return known.edition;
  const edition = await db.edition.findUnique({ where: { slug }, select: { id: true } });
  if (edition) {
    if (remembered.size >= REMEMBERED_MAX) remembered.clear();
    remembered.set(slug, { edition, until: now + REMEMBERED_MS });
  }
  return edition;
}
