import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createVouchers } from "@/lib/vouchers/voucher";
import { exportVouchersCsv } from "./voucher-csv";

const { db } = await useTestDatabase();
const organiser = await createOrganiser(db);
const edition = await createEdition(db, { capacity: 100, ticketTypes: [{ code: "conference", priceCents: 25000 }] });

async function create(input: Record<string, string>) {
  const result = await createVouchers(db, organiser, edition.id, { maxUses: "3", active: "on", ...input });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.vouchers;
}

// A code of another tag, in every test's edition: the tag filter leaves it out, the full export has it.
await create({
  effect: "AMOUNT_OFF",
  amount: "10",
  code: "community-10",
  tag: "community",
  validUntil: "2027-05-19T23:59",
});

const csvOf = async (options: { tag?: string; locale: "fr" | "en" }) => {
  const file = await exportVouchersCsv(db, { edition, appUrl: "https://tickets.example.org/", ...options });
  return { ...file, text: await new Response(file.body).text() };
};

describe("the codes' CSV", () => {
  it("lists one tag's codes with their uses, end of validity and pre-filled link, formula-safe", async () => {
    const sponsor = await create({
      effect: "PERCENT_OFF",
      percentOff: "20",
      count: "3",
      prefix: "acme",
      tag: "=acme",
      maxUsesPerOrder: "2",
      ticketTypeIds: edition.ticketTypes[0].id,
    });
    await db.voucher.update({ where: { id: sponsor[0].id }, data: { used: 2 } });

    const { text, filename } = await csvOf({ tag: "=acme", locale: "fr" });

    const [header, ...rows] = text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(header).toBe(
      "Code,Étiquette,Effet,Types de billet,Utilisations,Utilisations restantes,Utilisations par commande," +
        "Valable jusqu’au,Lien,Actif",
    );
    expect(rows).toHaveLength(3);
    const first = rows.find((row) => row.startsWith(`${sponsor[0].code},`))!;
    expect(first).toBe(
      `${sponsor[0].code},'=acme,−20\u00a0%,conference,2,1,2,,https://tickets.example.org/fr/editions/${edition.slug}?code=${sponsor[0].code},oui`,
    );
    expect(filename).toBe(`${edition.slug}-codes-=acme.csv`);
  });

  it("gives every code in English with English links when asked, times in the edition's zone", async () => {
    const { text } = await csvOf({ locale: "en" });
    const row = text.split("\r\n").find((line) => line.startsWith("COMMUNITY-10,"));
    expect(row).toBe(
      `COMMUNITY-10,community,€10.00 off each ticket,Every listed type,0,3,,2027-05-19 23:59,` +
        `https://tickets.example.org/en/editions/${edition.slug}?code=COMMUNITY-10,yes`,
    );
    const codes = await db.voucher.count({ where: { editionId: edition.id } });
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(1 + codes);
  });
});
