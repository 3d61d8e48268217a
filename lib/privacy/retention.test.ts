import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { registerAttendee } from "@/lib/orders/register";
import { applyRetention, updateRetentionMonths } from "./retention";

const { db } = await useTestDatabase();
const now = new Date("2028-08-01T12:00:00Z");

const person = (firstName: string) => ({
  firstName,
  lastName: "Hopper",
  email: `${firstName.toLowerCase()}.${randomUUID()}@example.org`,
  company: "Navy",
});

/** An edition that ended `monthsAgo` months before `now`, with a group (one ticket unnamed) and a waiting entry. */
async function endedEdition(monthsAgo: number) {
  const edition = await createEdition(db, { capacity: 10, questions: [{ key: "diet", type: "TEXT" }] });
  const placed = await registerAttendee(
    db,
    edition.slug,
    {
      buyer: person("Buyer"),
      tickets: [
        { ticketType: "free", attendee: person("Grace"), answers: { diet: "vegan" } },
        { ticketType: "free", attendee: null },
      ],
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  const entry = await addTestEntry(db, edition);
  const endsAt = new Date(now);
  endsAt.setUTCMonth(endsAt.getUTCMonth() - monthsAgo);
  await db.edition.update({
    where: { id: edition.id },
    data: { startsAt: new Date(endsAt.getTime() - 8 * 3600_000), endsAt },
  });
  return { edition, order: placed.order, entry };
}

describe("the retention sweep", () => {
  it("anonymises editions past their months once, leaves the others and unnamed tickets alone", async () => {
    const due = await endedEdition(13);
    const recent = await endedEdition(11);
    const longer = await endedEdition(13);
    await db.edition.update({ where: { id: longer.edition.id }, data: { retentionMonths: 24 } });
    const recentBefore = await db.ticket.findMany({
      where: { orderId: recent.order.id },
      orderBy: { position: "asc" },
    });
    await db.rateLimit.createMany({
      data: [
        { key: `lost-ticket:client:${randomUUID()}`, windowStart: new Date(now.getTime() - 25 * 3600_000), count: 2 },
        { key: `lost-ticket:client:${randomUUID()}`, windowStart: new Date(now.getTime() - 3600_000), count: 1 },
      ],
    });

    const run = await applyRetention(db, now);
    expect(run).toMatchObject({ editions: [due.edition.id], rateLimits: 1 });

    const [named, unnamed] = await db.ticket.findMany({
      where: { orderId: due.order.id },
      orderBy: { position: "asc" },
    });
    expect(named).toMatchObject({
      firstName: "—",
      lastName: "—",
      email: `erased+${named.id}@invalid`,
      company: null,
      answers: {},
      status: "ACTIVE",
      erasedAt: now,
    });
    expect(unnamed).toMatchObject({ firstName: null, lastName: null, email: null, accessToken: null, erasedAt: null });
    expect(await db.order.findUniqueOrThrow({ where: { id: due.order.id } })).toMatchObject({
      buyerFirstName: "—",
      buyerEmail: `erased+${due.order.id}@invalid`,
      erasedAt: now,
    });
    expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: due.entry.id } })).toMatchObject({
      name: "—",
      emailKey: `erased+${due.entry.id}@invalid`,
    });
    const emails = await db.emailOutbox.findMany({ where: { editionId: due.edition.id } });
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email.toAddress).toBe(`erased+${email.id}@invalid`);
    expect(await db.edition.findUniqueOrThrow({ where: { id: due.edition.id } })).toMatchObject({ anonymisedAt: now });
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { editionId: due.edition.id, action: "privacy.retention_applied" },
    });
    expect(audit.after).toMatchObject({ tickets: 1, orders: 1, waitingList: 1 });

    // Within their months: untouched.
    expect(await db.ticket.findMany({ where: { orderId: recent.order.id }, orderBy: { position: "asc" } })).toEqual(
      recentBefore,
    );
    for (const kept of [recent, longer]) {
      expect(await db.edition.findUniqueOrThrow({ where: { id: kept.edition.id } })).toMatchObject({
        anonymisedAt: null,
      });
      expect(await db.waitingListEntry.findUniqueOrThrow({ where: { id: kept.entry.id } })).toMatchObject({
        erasedAt: null,
        name: kept.entry.name,
      });
    }

    // Idempotent: nothing more, the anonymised rows as they were.
    const tickets = await db.ticket.findMany({ where: { orderId: due.order.id }, orderBy: { position: "asc" } });
    expect(await applyRetention(db, now)).toEqual({ editions: [], rateLimits: 0 });
    expect(await db.ticket.findMany({ where: { orderId: due.order.id }, orderBy: { position: "asc" } })).toEqual(
      tickets,
    );
    expect(await db.auditEntry.count({ where: { action: "privacy.retention_applied" } })).toBe(1);
  });

  it("finds the sweep busy while another instance holds its lock", async () => {
    await endedEdition(14);
    const other = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('guichet:retention'))`;
      return applyRetention(db, now);
    });
    expect(other).toEqual({ busy: true });
    expect(await applyRetention(db, now)).toMatchObject({ editions: [expect.any(String)] });
  });
});

describe("the retention setting", () => {
  it("takes 1 to 120 whole months, audited in edition.updated when it changes", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, { capacity: 5 });
    for (const months of ["0", "121", "1.5", "", "ten"]) {
      expect(await updateRetentionMonths(db, actor, edition.id, { retentionMonths: months })).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors: { retentionMonths: ["retention_months_range"] },
      });
    }
    expect(await updateRetentionMonths(db, actor, edition.id, { retentionMonths: " 18 " })).toEqual({ ok: true });
    expect(await updateRetentionMonths(db, actor, edition.id, { retentionMonths: "18" })).toEqual({ ok: true });
    expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({ retentionMonths: 18 });
    const audits = await db.auditEntry.findMany({ where: { editionId: edition.id, action: "edition.updated" } });
    expect(audits).toMatchObject([{ before: { retentionMonths: 12 }, after: { retentionMonths: 18 } }]);
  });
});
