import { createTranslator } from "next-intl";
import type { Db } from "@/lib/db/prisma";
import { byteStream } from "@/lib/http/byte-stream";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { listWaitingList } from "@/lib/waitlist/admin";
import { csvLines } from "./csv";

type EditionToExport = { id: string; slug: string; timeZone: string };

/**
 * The edition's whole waiting list by position, as the tab lists it, in `locale`: each entry with its language, seats,
 * whether fewer will do, types, when it joined, its status, its latest offer (seats × type), that offer's expiry while
 * open, the reference of the order placed with it and, once converted, the tickets taken. Times are wall-clock in the
 * edition's zone; cells are neutralised against formulas (csv.ts): names and addresses are typed by the public.
 */
export async function exportWaitingListCsv(
  db: Db,
  { edition, locale }: { edition: EditionToExport; locale: Locale },
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; filename: string }> {
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "waitingListAdmin" });
  const entries = await listWaitingList(db, edition.id);
  const local = (date: Date) => utcToZonedLocal(date, edition.timeZone).replace("T", " ");
  const header = [
    "position",
    "name",
    "email",
    "language",
    "seats",
    "acceptsFewer",
    "types",
    "joined",
    "status",
    "offered",
    "expires",
    "order",
    "taken",
  ] as const;
  async function* rows() {
    for (const entry of entries) {
      const offer = entry.offer;
      yield [
        entry.position,
        entry.name,
        entry.email,
        entry.locale,
        entry.seatsWanted,
        t(entry.acceptsFewer ? "csv.yes" : "csv.no"),
        entry.ticketTypes.map((type) => localized(type, "name", locale)).join(", "),
        local(entry.joinedAt),
        t(`status.${entry.shownStatus}`),
        offer ? `${offer.seats} × ${localized(offer.ticketType, "name", locale)}` : null,
        offer?.status === "OFFERED" && offer.expiresAt ? local(offer.expiresAt) : null,
        offer?.orderReference ?? null,
        offer?.status === "CONVERTED" ? offer.ticketsTaken : null,
      ];
    }
  }
  const body = byteStream(
    csvLines(
      header.map((column) => t(`csv.${column}`)),
      rows(),
    ),
  );
  return { body, contentType: "text/csv; charset=utf-8", filename: `${edition.slug}-waiting-list.csv` };
}
