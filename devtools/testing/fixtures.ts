import type { VerifyKey } from "@/lib/tickets/codes";
import { checkInSnapshot, snapshotJson } from "@/lib/checkin/snapshot";
import type { OfflineSnapshot } from "@/lib/checkin/offline";
import type { Db } from "@/lib/db/prisma";
import { registerAttendee } from "@/lib/orders/register";

let counter = 0;

type TicketTypeFixture = {
  code: string;
  priceCents?: number;
  quota?: number | null;
  salesStartAt?: Date | null;
  salesEndAt?: Date | null;
  active?: boolean;
};

/** An open edition with the given ticket types and, unless told otherwise, no questions. */
export async function createEdition(
  db: Db,
  options: {
    capacity: number;
    status?: "DRAFT" | "OPEN" | "CLOSED";
    ticketTypes?: TicketTypeFixture[];
    questions?: {
      key: string;
      type: "TEXT" | "SELECT" | "CHECKBOX";
      required?: boolean;
      options?: { value: string; labelFr: string; labelEn: string }[];
    }[];
  },
) {
  counter += 1;
  // Unique across parallel test workers, whose counters each start at 1: pages pick editions by name.
  const suffix = `${counter}-${process.pid.toString(36)}-${Date.now().toString(36)}`;
  const slug = `edition-${suffix}`;
  return db.edition.create({
    data: {
      slug,
      nameFr: `Édition ${suffix}`,
      nameEn: `Edition ${suffix}`,
      venueName: "Venue",
      venueAddress: "1 rue de Test, Paris",
      startsAt: new Date("2027-05-20T07:00:00Z"),
      endsAt: new Date("2027-05-20T16:00:00Z"),
      timeZone: "Europe/Paris",
      capacity: options.capacity,
      status: options.status ?? "OPEN",
      ticketTypes: {
        create: (options.ticketTypes ?? [{ code: "free" }]).map((type, position) => ({
          code: type.code,
          nameFr: type.code,
          nameEn: type.code,
          priceCents: type.priceCents ?? 0,
          quota: type.quota ?? null,
          salesStartAt: type.salesStartAt ?? null,
          salesEndAt: type.salesEndAt ?? null,
          active: type.active ?? true,
          position,
        })),
      },
      questions: {
        create: (options.questions ?? []).map((question, position) => ({
          key: question.key,
          type: question.type,
          required: question.required ?? false,
          labelFr: question.key,
          labelEn: question.key,
          options: question.options ?? [],
          position,
        })),
      },
    },
    include: { ticketTypes: true },
  });
}

/** The back office's edition form as an organiser fills it (French decimal VAT, times in the edition's zone). */
export const editionFormFields = (slug: string, overrides: Record<string, string> = {}) => ({
  slug,
  nameFr: "Open Cloud Paris #13",
  nameEn: "Open Cloud Paris #13",
  venueName: "Espace Charenton",
  venueAddress: "327 rue de Charenton, Paris",
  timeZone: "Europe/Paris",
  startsAt: "2027-05-20T09:00",
  endsAt: "2027-05-20T18:30",
  capacity: "300",
  currency: "EUR",
  vatRate: "20",
  ...overrides,
});

export function attendeeRequest(ticketType: string, n: number | string = 1, extra: Record<string, unknown> = {}) {
  return {
    ticketType,
    attendee: { firstName: "Ada", lastName: `Lovelace ${n}`, email: `ada.${n}@example.org`, company: "Analytical" },
    locale: "en",
    ...extra,
  };
}

/** A back-office organiser, as the actor of an audited change. */
export async function createOrganiser(db: Db) {
  const email = `organiser-${++counter}-${Date.now()}@example.org`;
  const user = await db.user.create({ data: { email, role: "ORGANISER" } });
  return { id: user.id, email: user.email };
}

/** The ticket of a registration that went through: confirmed when free, held when paid. */
export async function registerTicket(db: Db, slug: string, ticketType: string, n: number | string) {
  const result = await registerAttendee(db, slug, attendeeRequest(ticketType, n), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
}

/** The scanner's offline snapshot of an edition, as GET /api/v1/checkin/{slug} sends it and a scanner reads it. */
export async function snapshotAsSent(
  db: Db,
  edition: { id: string; slug: string; nameFr: string; nameEn: string },
  verifyKeys: readonly VerifyKey[],
  now?: Date,
): Promise<OfflineSnapshot> {
  return JSON.parse(await new Response(snapshotJson(await checkInSnapshot(db, edition, verifyKeys, now))).text());
}

/** The invoicing settings form of a real-looking company: SIREN 732 829 320, its SIRET, VAT number, an IBAN. */
export const organiserProfileForm = (overrides: Record<string, string> = {}) => ({
  legalName: "Open Cloud Paris SAS",
  legalForm: "SAS",
  shareCapital: "37 000",
  addressLine1: "327 rue de Charenton",
  addressLine2: "",
  addressLine3: "",
  postcode: "75012",
  city: "Paris",
  country: "fr",
  siren: "732 829 320",
  siret: "732 829 320 00074",
  rcs: "RCS Paris 732 829 320",
  vatNumber: "FR 44 732829320",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "bnpafrpp",
  email: "Factures@Example.org",
  paymentTermDays: "30",
  latePenaltyRate: "",
  invoicePrefix: "gch",
  ...overrides,
});

/** An organisation's billing details as a buyer gives them (lib/orders/billing.ts): a French company by its SIRET. */
export const companyBilling = {
  organisation: "Acme SAS",
  address: "12 rue de la Paix",
  postcode: "75002",
  city: "Paris",
  country: "FR",
  siret: "552 100 554 00013",
  purchaseOrder: "PO-4500012345",
};
