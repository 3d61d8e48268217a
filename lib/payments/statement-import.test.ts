import { beforeAll, describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { registerAttendee } from "@/lib/orders/register";
import { expireLapsedHolds } from "./expire-holds";
import { awaitingTransfers, confirmImport, importStatement, recentImports, reviewImport } from "./statement-import";
import { confirmTransfer } from "./transfer";
import { camt053Statement } from "@/devtools/testing/camt053";
import { companyBilling, createEdition, createOrganiser, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";

const { db } = await useTestDatabase();

const DAY = 86_400_000;
const now = new Date("2027-03-01T10:00:00Z");
let serial = 0;
const person = () => {
  serial += 1;
  return { firstName: "Ada", lastName: "Office", email: `ada${serial}@acme.example`, company: "Acme" };
};

async function transferEdition() {
  const edition = await createEdition(db, { capacity: 20, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  return db.edition.update({ where: { id: edition.id }, data: { transferDays: 14, transferClosesDaysBefore: 7 } });
}

async function orderByTransfer(edition: { slug: string }, tickets: number, at = now) {
  const body = {
    buyer: person(),
    tickets: Array.from({ length: tickets }, () => ({ ticketType: "paid", attendee: person() })),
    locale: "fr",
    billing: companyBilling,
    paymentMethod: "transfer",
  };
  const placed = await registerAttendee(db, edition.slug, body, { holdMinutes: 35, now: at });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return placed.order;
}

const upload = (text: string, fileName = "releve.xml") => ({ fileName, bytes: new TextEncoder().encode(text) });

beforeAll(async () => {
  const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
});

describe("a bank statement's import", () => {
  it("refuses a file that is no statement, or holds no credit, and stores nothing", async () => {
    const actor = await createOrganiser(db);
    expect(await importStatement(db, actor, upload("<html><body>hello</body></html>"))).toMatchObject({
      ok: false,
      reason: "not_a_statement",
    });
    expect(await importStatement(db, actor, upload("Nom;Ville\nAda;Paris", "a.csv"))).toEqual({
      ok: false,
      reason: "missing_columns",
      detail: "date, amount, text",
    });
    expect(await importStatement(db, actor, upload(""))).toMatchObject({ ok: false, reason: "empty" });
    const binary = { fileName: "photo.xml", bytes: new Uint8Array([0x3c, 0x00, 0x3e, 0x00]) };
    expect(await importStatement(db, actor, binary)).toEqual({ ok: false, reason: "not_text" });
    const debitsOnly = "Date;Montant;Libellé\n05/03/2027;-12,50;Frais";
    expect(await importStatement(db, actor, upload(debitsOnly, "b.csv"))).toEqual({ ok: false, reason: "no_credit" });
    expect(await importStatement(db, actor, { fileName: "big.xml", bytes: new Uint8Array(1_000_001) })).toEqual({
      ok: false,
      reason: "too_large",
    });
    expect(await db.statementImport.count()).toBe(0);
  });

  it("refuses a statement none of whose credits could be read, saying which lines and why", async () => {
    const actor = await createOrganiser(db);
    const american = "Date;Montant;Libellé\n11/26/2026;199.00;VIR RF67 JB6H HYHG\n12/01/2026;-5.00;Frais\n";
    expect(await importStatement(db, actor, upload(american, "us.csv"))).toEqual({
      ok: false,
      reason: "no_line_read",
      skipped: [{ line: 2, reason: "date", value: "11/26/2026" }],
    });
    expect(await db.statementImport.count({ where: { fileName: "us.csv" } })).toBe(0);
  });

  it("shows what each line does, confirms the matched orders once, and a second import changes nothing", async () => {
    const actor = await createOrganiser(db);
    const edition = await transferEdition();
    // Placed two weeks earlier, its deadline passed: still confirmed by its transfer while its seats are free.
    const late = await orderByTransfer(edition, 1, new Date(now.getTime() - 19 * DAY));
    await expireLapsedHolds(db, null, now);
    const matched = await orderByTransfer(edition, 3);
    const partial = await orderByTransfer(edition, 2);
    const overpaid = await orderByTransfer(edition, 1);
    const paid = await orderByTransfer(edition, 1);
    const received = { currency: "EUR", receivedOn: now, recordedBy: "treasurer@example.org" };
    expect(await confirmTransfer(db, { ...received, orderId: paid.id, amountCents: 4900 }, now)).toMatchObject({
      ok: true,
    });
    const statement = camt053Statement([
      { reference: matched.reference, amountCents: 14_700, bookedOn: "2027-03-03" },
      { reference: partial.reference, amountCents: 5000, bookedOn: "2027-03-03" },
      { reference: overpaid.reference, amountCents: 5000, bookedOn: "2027-03-03" },
      { reference: paid.reference, amountCents: 4900, bookedOn: "2027-03-04" },
      { reference: late.reference, amountCents: 4900, bookedOn: "2027-03-04" },
      { reference: "VIREMENT SANS REFERENCE", amountCents: 2000, bookedOn: "2027-03-04" },
    ]);

    const first = await importStatement(db, actor, upload(statement), now);
    if (!first.ok) throw new Error(first.reason);
    expect(first.lines).toBe(6);
    const review = await reviewImport(db, first.importId);
    expect(review?.lines.map((line) => [line.order?.reference ?? null, line.outcome])).toEqual([
      [matched.reference, "matched"],
      [partial.reference, "partial"],
      [overpaid.reference, "overpaid"],
      [paid.reference, "already_paid"],
      [late.reference, "matched"],
      [null, "unknown"],
    ]);
    expect(review?.lines[1]).toMatchObject({ missingCents: 4800 });
    expect(review?.lines[2]).toMatchObject({ extraCents: 100 });
    expect(review?.confirmable).toBe(3);

    const confirmedAt = new Date(now.getTime() + 3 * DAY);
    const confirmation = await confirmImport(db, actor, first.importId, confirmedAt);
    expect(confirmation.ok && confirmation.results.map((result) => [result.reference, result.result])).toEqual([
      [matched.reference, { ok: true, outcome: "confirmed" }],
      [overpaid.reference, { ok: true, outcome: "confirmed" }],
      [late.reference, { ok: true, outcome: "confirmed_late" }],
    ]);
    const orders = await db.order.findMany({
      where: { id: { in: [matched.id, overpaid.id, late.id, partial.id] } },
      include: { invoices: true, transferPayment: true },
    });
    const byId = new Map(orders.map((order) => [order.id, order]));
    for (const order of [matched, overpaid, late]) {
      expect(byId.get(order.id)).toMatchObject({ status: "CONFIRMED", invoices: [{ kind: "invoice" }] });
      expect(byId.get(order.id)?.transferPayment).toMatchObject({ recordedBy: actor.email });
    }
    expect(byId.get(matched.id)?.transferPayment?.receivedOn).toEqual(new Date("2027-03-03"));
    expect(byId.get(partial.id)).toMatchObject({ status: "PENDING", transferPayment: null, invoices: [] });
    expect(await db.statementImport.findUniqueOrThrow({ where: { id: first.importId } })).toMatchObject({
      confirmedAt,
    });
    const audit = await db.auditEntry.findMany({ where: { action: "transfer.received", actorEmail: actor.email } });
    expect(audit.map((entry) => entry.subjectId).sort()).toEqual([matched.id, overpaid.id, late.id].sort());

    // The same file again: the lines confirmed are recorded, nothing more is confirmed, nothing more invoiced.
    const again = await importStatement(db, actor, upload(statement), confirmedAt);
    if (!again.ok) throw new Error(again.reason);
    const second = await reviewImport(db, again.importId);
    expect(second?.lines.map((line) => line.outcome)).toEqual([
      "recorded",
      "partial",
      "recorded",
      "already_paid",
      "recorded",
      "unknown",
    ]);
    expect(second?.lines[0]).toMatchObject({ recordedBy: actor.email });
    expect(second?.confirmable).toBe(0);
    expect(await confirmImport(db, actor, again.importId, confirmedAt)).toEqual({ ok: true, results: [] });
    expect(await db.invoice.count({ where: { orderId: { in: [matched.id, overpaid.id, late.id] } } })).toBe(3);
    expect(await db.transferPayment.count({ where: { order: { editionId: edition.id } } })).toBe(4);
    expect(await recentImports(db, 2)).toEqual([
      expect.objectContaining({ id: again.importId, lines: 6, confirmedAt, uploadedBy: actor.email }),
      expect.objectContaining({ id: first.importId, lines: 6, confirmedAt, fileName: "releve.xml" }),
    ]);
  });

  it("confirms each order once when two organisers confirm the same statement at the same moment", async () => {
    const [first, second] = [await createOrganiser(db), await createOrganiser(db)];
    const edition = await transferEdition();
    const orders = [await orderByTransfer(edition, 1), await orderByTransfer(edition, 2)];
    const statement = camt053Statement(
      orders.map((order) => ({ reference: order.reference, amountCents: order.amountCents, bookedOn: "2027-03-05" })),
    );
    const imports = await Promise.all([first, second].map((actor) => importStatement(db, actor, upload(statement))));
    const ids = imports.map((imported) => (imported.ok ? imported.importId : ""));
    const [one, other] = await Promise.all([
      confirmImport(db, first, ids[0], now),
      confirmImport(db, second, ids[1], now),
    ]);
    const outcomes = [one, other].flatMap((done) => (done.ok ? done.results.map((result) => result.result) : []));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(2);
    // The later one finds the lines recorded, or the orders paid, by the time it gets to them.
    const refusals = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.reason]));
    expect(refusals.filter((reason) => reason !== "line_recorded" && reason !== "already_paid")).toEqual([]);
    const ordersAfter = await db.order.findMany({
      where: { id: { in: orders.map((order) => order.id) } },
      include: { invoices: true, transferPayment: true },
    });
    expect(ordersAfter.map((order) => [order.status, order.invoices.length, Boolean(order.transferPayment)])).toEqual([
      ["CONFIRMED", 1, true],
      ["CONFIRMED", 1, true],
    ]);
    expect(await db.emailOutbox.count({ where: { orderId: orders[0].id, kind: "order_confirmation" } })).toBe(1);
  });

  it("reads a CSV export too, matching an order by its printed reference", async () => {
    const actor = await createOrganiser(db);
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 1);
    const csv = `Date;Montant;Libellé;Contrepartie\n06/03/2027;49,00;VIR SEPA ${order.reference} ACME;ACME SAS\n`;
    const imported = await importStatement(db, actor, upload(csv, "releve.csv"), now);
    if (!imported.ok) throw new Error(imported.reason);
    const review = await reviewImport(db, imported.importId);
    expect(review).toMatchObject({ format: "csv", confirmable: 1 });
    expect(review?.lines[0]).toMatchObject({ outcome: "matched", order: { id: order.id } });

    // As French banks often export it: Windows-1252, read as such.
    const latin = Buffer.from(`Date;Montant;Libellé\n07/03/2027;10,00;Réf. dépôt\n`, "latin1");
    const legacy = await importStatement(db, actor, { fileName: "releve.csv", bytes: new Uint8Array(latin) }, now);
    if (!legacy.ok) throw new Error(legacy.reason);
    expect((await reviewImport(db, legacy.importId))?.lines[0]).toMatchObject({
      outcome: "unknown",
      line: { text: "Réf. dépôt", amountCents: 1000 },
    });

    // Not confirmed: the first has a line to confirm, the second none, and says so in the recent imports.
    const recent = new Map((await recentImports(db, 50)).map((row) => [row.id, row]));
    expect(recent.get(imported.importId)).toMatchObject({ confirmedAt: null, nothingToConfirm: false });
    expect(recent.get(legacy.importId)).toMatchObject({ confirmedAt: null, nothingToConfirm: true });
  });

  it("stores the credits it could read and lists the lines it could not, which confirm nothing", async () => {
    const actor = await createOrganiser(db);
    const edition = await transferEdition();
    const order = await orderByTransfer(edition, 1);
    const csv =
      "Date;Montant;Libellé\n" +
      `06/03/2027;49,00;VIR ${order.reference}\n` +
      `31/02/2027;49,00;VIR ${order.reference}\n` +
      "06/03/2027;49,00 EUR;VIR ACME\n" +
      "06/03/2027;-3,00;Frais\n" +
      "06/03/2027\n";
    const imported = await importStatement(db, actor, upload(csv, "mixed.csv"), now);
    expect(imported).toMatchObject({ ok: true, lines: 1, skipped: 3 });
    if (!imported.ok) throw new Error(imported.reason);
    const review = await reviewImport(db, imported.importId);
    expect(review?.lines.map((line) => line.outcome)).toEqual(["matched"]);
    expect(review?.skipped).toEqual([
      { line: 3, reason: "date", value: "31/02/2027" },
      { line: 4, reason: "amount", value: "49,00 EUR" },
      { line: 6, reason: "columns", value: "" },
    ]);
    expect((await recentImports(db, 50)).find((row) => row.id === imported.importId)).toMatchObject({ lines: 1 });
    const confirmed = await confirmImport(db, actor, imported.importId, now);
    expect(confirmed.ok && confirmed.results.map((result) => result.reference)).toEqual([order.reference]);
  });

  it("reviews an import stored before its lines were checked, its unreadable lines shown as skipped", async () => {
    const line = { payer: null, references: [], text: "VIR RF67 JB6H HYHG", currency: "EUR", amountCents: 19_900 };
    const stored = await db.statementImport.create({
      data: {
        fileName: "us.csv",
        format: "csv",
        uploadedBy: "organiser@example.org",
        lines: [
          { ...line, id: "line:a:1", bookedOn: "2026-26-11" },
          { ...line, id: "line:b:1", bookedOn: "2026-11-26" },
          { ...line, id: "line:c:1", bookedOn: "2026-11-26", amountCents: "199" },
          "garbage",
        ],
      },
    });
    const review = await reviewImport(db, stored.id);
    expect(review?.lines.map((reviewed) => reviewed.line.id)).toEqual(["line:b:1"]);
    expect(review?.skipped).toEqual([
      { line: null, reason: "date", value: "2026-26-11" },
      { line: null, reason: "amount", value: "199" },
      { line: null, reason: "unreadable", value: "" },
    ]);
  });
});

describe("the orders awaiting a transfer", () => {
  it("are listed across editions, the soonest deadline first, a page at a time", async () => {
    const edition = await transferEdition();
    const later = await orderByTransfer(edition, 1, new Date(now.getTime() + DAY));
    const sooner = await orderByTransfer(edition, 1, now);
    const mine = (orders: { id: string }[]) => orders.filter((order) => [later.id, sooner.id].includes(order.id));
    const at = new Date(now.getTime() + DAY + 3600_000);
    const everything = await awaitingTransfers(db, { take: 500 }, at);
    expect(mine(everything.orders).map((order) => order.id)).toEqual([sooner.id, later.id]);
    const deadlines = everything.orders.map((order) => order.deadline.getTime());
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    expect(everything.next).toBeNull();

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof awaitingTransfers>> = await awaitingTransfers(db, { take: 2, after }, at);
      pages.push(...page.orders.map((order) => order.id));
      after = page.next;
    } while (after);
    expect(pages).toEqual(everything.orders.map((order) => order.id));
    expect(everything.orders.find((order) => order.id === sooner.id)).toMatchObject({
      organisation: "Acme SAS",
      amountCents: 4900,
      remindersSent: 0,
      edition: { slug: edition.slug },
    });
  });
});
