import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { confirmedSeat, liveSeat } from "./seats";

const { db } = await useTestDatabase();

/** Confirmed orders of one ticket each, written in two statements (the seat triggers count them). */
async function seedOrders(edition: { id: string; ticketTypes: { id: string }[] }, count: number, tag: string) {
  await db.$executeRaw`
    INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName", "buyerEmail",
                         locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
    SELECT gen_random_uuid(), ${tag} || g, ${tag} || '-token-' || g, ${edition.id}::uuid, 'Ada', 'Lovelace',
           ${tag} || g || '@example.org', 'en', 'CONFIRMED', 0, 'EUR', now(), now()
    FROM generate_series(1, ${count}::integer) g`;
  await db.$executeRaw`
    INSERT INTO "Ticket" (id, "orderId", "editionId", "ticketTypeId", "firstName", "lastName", email, "priceCents",
                          "updatedAt")
    SELECT gen_random_uuid(), o.id, o."editionId", ${edition.ticketTypes[0].id}::uuid, 'Ada', 'Lovelace',
           o."buyerEmail", 0, now()
    FROM "Order" o WHERE o."editionId" = ${edition.id}::uuid`;
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
const seqScansOfOrder = (node: PlanNode): number =>
  (node["Node Type"] === "Seq Scan" && node["Relation Name"] === "Order" ? 1 : 0) +
  (node.Plans ?? []).reduce((sum, child) => sum + seqScansOfOrder(child), 0);

async function scansOrders(query: Prisma.Sql): Promise<boolean> {
  const [row] = await db.$queryRaw<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>`EXPLAIN (FORMAT JSON) ${query}`;
  return seqScansOfOrder(row["QUERY PLAN"][0].Plan) > 0;
}

describe("per-edition counts over tickets", () => {
  it("read only the edition's own orders, however many other editions have", async () => {
    const busy = await createEdition(db, { capacity: 20_000 });
    const measured = await createEdition(db, { capacity: 1_000 });
    await seedOrders(busy, 20_000, "B");
    await seedOrders(measured, 600, "M");
    await db.$executeRawUnsafe(`ANALYZE "Order", "Ticket"`);
    const count = (rule: Prisma.Sql) => Prisma.sql`
      SELECT count(*) FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
      WHERE t."editionId" = ${measured.id}::uuid AND ${rule}`;
    expect(await scansOrders(count(confirmedSeat))).toBe(false);
    expect(await scansOrders(count(liveSeat()))).toBe(false);
  });
});
