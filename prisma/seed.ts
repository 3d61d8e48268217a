// Demo data: one open edition a few months ahead, with free and paid tickets and questions, and
// the previous (closed) edition. `npm start` runs it on an empty embedded database; `npm run db:seed`
// runs it on purpose against DATABASE_URL.
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { upsertUser } from "@/lib/auth/users";
import type { Role } from "@/lib/auth/roles";
import { newAccessToken, newOrderReference } from "@/lib/orders/codes";
import { zonedLocalToUtc } from "@/lib/time/zoned";

const TIME_ZONE = "Europe/Paris";

function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const tshirtSizes = ["XS", "S", "M", "L", "XL", "XXL"].map((size) => ({
  value: size.toLowerCase(),
  labelFr: size,
  labelEn: size,
}));

// Demo data only: these accounts exist in the embedded demo database, never in one given by DATABASE_URL.
export const DEMO_ACCOUNTS: { email: string; password: string; role: Role }[] = [
  { email: "admin@demo.guichet.test", password: "demo-admin-password", role: "ADMIN" },
  { email: "organiser@demo.guichet.test", password: "demo-organiser-password", role: "ORGANISER" },
  { email: "staff@demo.guichet.test", password: "demo-staff-password", role: "CHECKIN_STAFF" },
];

export async function seedDemoData(db: Db): Promise<{ created: boolean }> {
  if ((await db.edition.count()) > 0) return { created: false };
  const day = dayFromNow(90);
  const current = await db.edition.create({
    data: {
      slug: "open-cloud-paris-12",
      nameFr: "Open Cloud Paris #12",
      nameEn: "Open Cloud Paris #12",
      descriptionFr:
        "La conférence communautaire du cloud open source à Paris : une journée de conférences, d’ateliers " +
        "et de rencontres, en français et en anglais.",
      descriptionEn:
        "Paris' community conference on the open-source cloud: a day of talks, workshops and hallway conversations, " +
        "in French and English.",
      venueName: "Espace Charenton",
      venueAddress: "327 rue de Charenton, 75012 Paris",
      startsAt: zonedLocalToUtc(`${day}T09:00`, TIME_ZONE)!,
      endsAt: zonedLocalToUtc(`${day}T18:30`, TIME_ZONE)!,
      timeZone: TIME_ZONE,
      capacity: 300,
      currency: "EUR",
      editDeadline: zonedLocalToUtc(`${dayFromNow(88)}T23:59`, TIME_ZONE)!,
      refundDeadline: zonedLocalToUtc(`${dayFromNow(76)}T23:59`, TIME_ZONE)!,
      status: "OPEN",
      ticketTypes: {
        create: [
          {
            code: "early-bird",
            nameFr: "Lève-tôt",
            nameEn: "Early bird",
            priceCents: 2900,
            quota: 50,
            salesEndAt: zonedLocalToUtc(`${dayFromNow(-3)}T23:59`, TIME_ZONE)!,
            position: 0,
          },
          { code: "standard", nameFr: "Standard", nameEn: "Standard", priceCents: 4900, position: 1 },
          {
            code: "community",
            nameFr: "Communauté (étudiant·e·s, sans emploi)",
            nameEn: "Community (students, job seekers)",
            descriptionFr: "Gratuit, dans la limite de 100 places.",
            descriptionEn: "Free, up to 100 seats.",
            priceCents: 0,
            quota: 100,
            position: 2,
          },
          {
            code: "supporter",
            nameFr: "Soutien",
            nameEn: "Supporter",
            descriptionFr: "Vous financez une place communauté et recevez un sweat.",
            descriptionEn: "You fund a community seat and get a hoodie.",
            priceCents: 15000,
            quota: 20,
            salesStartAt: zonedLocalToUtc(`${dayFromNow(-30)}T10:00`, TIME_ZONE)!,
            salesEndAt: zonedLocalToUtc(`${dayFromNow(85)}T23:59`, TIME_ZONE)!,
            position: 3,
          },
        ],
      },
      questions: {
        create: [
          {
            key: "tshirt",
            type: "SELECT",
            labelFr: "Taille de t-shirt",
            labelEn: "T-shirt size",
            options: tshirtSizes,
            position: 0,
          },
          {
            key: "diet",
            type: "TEXT",
            labelFr: "Régime alimentaire ou allergies",
            labelEn: "Dietary needs or allergies",
            position: 1,
          },
          {
            key: "coc",
            type: "CHECKBOX",
            required: true,
            labelFr: "J’accepte le code de conduite de la conférence",
            labelEn: "I agree to the conference's code of conduct",
            position: 2,
          },
        ],
      },
    },
  });
  const previousDay = dayFromNow(-90);
  const previous = await db.edition.create({
    data: {
      slug: "open-cloud-paris-11",
      nameFr: "Open Cloud Paris #11",
      nameEn: "Open Cloud Paris #11",
      venueName: "Espace Charenton",
      venueAddress: "327 rue de Charenton, 75012 Paris",
      startsAt: zonedLocalToUtc(`${previousDay}T09:00`, TIME_ZONE)!,
      endsAt: zonedLocalToUtc(`${previousDay}T18:30`, TIME_ZONE)!,
      timeZone: TIME_ZONE,
      capacity: 300,
      status: "CLOSED",
      ticketTypes: { create: [{ code: "standard", nameFr: "Standard", nameEn: "Standard", priceCents: 4900 }] },
    },
    include: { ticketTypes: true },
  });
  await seedPastAttendees(db, previous);
  for (const account of DEMO_ACCOUNTS) {
    const user = await upsertUser(db, { ...account, name: account.email.split("@")[0] });
    if (account.role === "CHECKIN_STAFF")
      await db.editionStaff.create({ data: { editionId: current.id, userId: user.id } });
  }
  return { created: true };
}

/**
 * The previous edition's attendees, so the back office's growth view has a past to compare with: 150
 * registrations spread over the two months before it, most of them let in at the door. Paid outside
 * Stripe (no payment intent), so nothing here can be refunded by mistake.
 */
async function seedPastAttendees(
  db: Db,
  edition: { id: string; startsAt: Date; ticketTypes: { id: string; priceCents: number }[] },
) {
  const [type] = edition.ticketTypes;
  for (let n = 1; n <= 150; n += 1) {
    // More registrations as the day approaches, as real editions see.
    const daysBefore = Math.round(60 * (1 - Math.sqrt(n / 150)));
    const confirmedAt = new Date(edition.startsAt.getTime() - daysBefore * 86_400_000 - (n % 10) * 3_600_000);
    await db.order.create({
      data: {
        reference: newOrderReference(),
        accessToken: newAccessToken(),
        editionId: edition.id,
        buyerFirstName: `Participant ${n}`,
        buyerLastName: "Démo",
        buyerEmail: `attendee${n}@demo.guichet.test`,
        locale: n % 3 === 0 ? "en" : "fr",
        status: "CONFIRMED",
        amountCents: type.priceCents,
        currency: "EUR",
        confirmedAt,
        createdAt: confirmedAt,
        tickets: {
          create: {
            editionId: edition.id,
            ticketTypeId: type.id,
            firstName: `Participant ${n}`,
            lastName: "Démo",
            email: `attendee${n}@demo.guichet.test`,
            priceCents: type.priceCents,
            createdAt: confirmedAt,
            checkedInAt: n % 5 === 0 ? null : new Date(edition.startsAt.getTime() + (n % 60) * 60_000),
          },
        },
      },
    });
  }
}

// Run directly (npm run db:seed): seed the database in DATABASE_URL.
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: point it at the database to seed.");
    process.exit(1);
  }
  const db = createPrismaClient(url);
  const { created } = await seedDemoData(db);
  console.log(created ? "Demo editions created." : "The database already has editions: nothing seeded.");
  await db.$disconnect();
}
