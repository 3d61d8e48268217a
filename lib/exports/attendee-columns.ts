import { attendeeStatus, type AttendeeRow } from "@/lib/attendees/query";
import type { Locale } from "@/lib/i18n/locales";
import { questionOptions } from "@/lib/editions/answers";
import { utcToZonedLocal } from "@/lib/time/zoned";

type QuestionColumnSource = { key: string; type: string; labelFr: string; labelEn: string; options: unknown };

/** `width` is a spreadsheet width in characters; `dateTime` columns hold "YYYY-MM-DD HH:MM" wall-clock times. */
export type ExportColumn = {
  id: string;
  header: Record<Locale, string>;
  width: number;
  dateTime?: boolean;
  value: (row: AttendeeRow) => string | number | null;
};

const WIDTHS: Record<string, number> = {
  reference: 12,
  firstName: 16,
  lastName: 18,
  email: 30,
  company: 24,
  ticketType: 20,
  price: 8,
  status: 11,
  registeredAt: 17,
  checkedInAt: 17,
  ticketId: 38,
  buyer: 24,
  buyerEmail: 30,
  buyerCompany: 24,
  voucherCode: 20,
};
const DATE_TIME_COLUMNS = new Set(["registeredAt", "checkedInAt"]);

const BASE_HEADERS: Record<string, Record<Locale, string>> = {
  reference: { fr: "Référence", en: "Reference" },
  firstName: { fr: "Prénom", en: "First name" },
  lastName: { fr: "Nom", en: "Last name" },
  email: { fr: "Email", en: "Email" },
  company: { fr: "Société", en: "Company" },
  ticketType: { fr: "Billet", en: "Ticket type" },
  price: { fr: "Prix", en: "Price" },
  status: { fr: "Statut", en: "Status" },
  registeredAt: { fr: "Inscrit le", en: "Registered at" },
  checkedInAt: { fr: "Arrivé à", en: "Checked in at" },
  ticketId: { fr: "Identifiant du billet", en: "Ticket id" },
  buyer: { fr: "Acheteur", en: "Buyer" },
  buyerEmail: { fr: "Email de l’acheteur", en: "Buyer’s email" },
  buyerCompany: { fr: "Société de l’acheteur", en: "Buyer’s company" },
  voucherCode: { fr: "Code de réduction", en: "Voucher code" },
};

export const DEFAULT_COLUMNS = ["reference", "firstName", "lastName", "email", "company", "ticketType", "status"];

/**
 * The columns an attendee export can have: the attendee's fields, then one per registration
 * question. Times are wall-clock in the edition's zone; prices in currency units.
 */
export function attendeeColumns(
  edition: { timeZone: string },
  questions: QuestionColumnSource[],
  locale: Locale,
  now = new Date(),
): ExportColumn[] {
  const time = (date: Date | null) => (date ? utcToZonedLocal(date, edition.timeZone).replace("T", " ") : null);
  const values: Record<string, ExportColumn["value"]> = {
    reference: (row) => row.order.reference,
    firstName: (row) => row.firstName,
    lastName: (row) => row.lastName,
    email: (row) => row.email,
    company: (row) => row.company,
    ticketType: (row) => (locale === "fr" ? row.ticketType.nameFr : row.ticketType.nameEn),
    price: (row) => row.priceCents / 100,
    status: (row) => attendeeStatus(row, now),
    registeredAt: (row) => time(row.createdAt),
    checkedInAt: (row) => time(row.checkedInAt),
    ticketId: (row) => row.id,
    // Who bought the ticket: a team's tickets share their order's buyer, whether or not they attend.
    buyer: (row) => `${row.order.buyerFirstName} ${row.order.buyerLastName}`,
    buyerEmail: (row) => row.order.buyerEmail,
    buyerCompany: (row) => row.order.buyerCompany,
    voucherCode: (row) => row.voucher?.code ?? null,
  };
  const base = Object.entries(values).map(([id, value]) => ({
    id,
    header: BASE_HEADERS[id],
    width: WIDTHS[id],
    dateTime: DATE_TIME_COLUMNS.has(id),
    value,
  }));
  const answers = questions.map((question) => ({
    id: `answer:${question.key}`,
    header: { fr: question.labelFr, en: question.labelEn },
    width: 24,
    value: (row: AttendeeRow) => {
      const answer = (row.answers as Record<string, unknown> | null)?.[question.key];
      if (question.type === "CHECKBOX")
        return answer === true ? (locale === "fr" ? "oui" : "yes") : locale === "fr" ? "non" : "no";
      if (question.type === "SELECT") {
        const option = questionOptions(question).find((candidate) => candidate.value === answer);
        return option ? (locale === "fr" ? option.labelFr : option.labelEn) : null;
      }
      return typeof answer === "string" ? answer : null;
    },
  }));
  return [...base, ...answers];
}

/** The chosen columns in the order asked for; unknown ids are dropped, none chosen means the defaults. */
export function chooseColumns(all: ExportColumn[], requested: string[]): ExportColumn[] {
  const pick = (ids: string[]) => [...new Set(ids)].flatMap((id) => all.filter((column) => column.id === id));
  const chosen = pick(requested);
  return chosen.length > 0 ? chosen : pick(DEFAULT_COLUMNS);
}
