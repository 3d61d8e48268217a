import { cache } from "react";
import type { Db } from "@/lib/db/prisma";
import { getSeatUsage, seatsTaken } from "@/lib/capacity/seats";
import { isSafeText } from "@/lib/forms/fields";

/** Every edition, newest first, with its seats taken (the same count registrations use). */
export async function listEditionsForOrganisers(db: Db, now = new Date()) {
  const editions = await db.edition.findMany({ orderBy: { startsAt: "desc" } });
  return Promise.all(
    editions.map(async (edition) => ({ ...edition, taken: seatsTaken(await getSeatUsage(db, edition.id, now)) })),
  );
}

/** One edition, whatever its status, with its ticket types and questions in display order. */
export const getEditionForOrganisers = cache(async (db: Db, slug: string) => {
  if (!isSafeText(slug)) return null;
  return db.edition.findUnique({
    where: { slug },
    include: {
      ticketTypes: { orderBy: [{ position: "asc" }, { code: "asc" }] },
      questions: { orderBy: [{ position: "asc" }, { key: "asc" }] },
    },
  });
});
