import { describe, expect, it } from "vitest";
import { badgesPdf, type Badge } from "./badges";

async function* badges(count: number): AsyncGenerator<Badge> {
  for (let n = 1; n <= count; n++) yield { name: `Hélène Dupré ${n}`, company: "Société Générale des Tests", ticketType: "Standard", editionName: "Open Cloud Paris #12", code: `G1${"A".repeat(132)}${n}` };
}

async function render(count: number, layout: "a6" | "labels") {
  const text = Buffer.from(await new Response(badgesPdf(badges(count), layout, "Badges")).arrayBuffer()).toString("latin1");
  // Each QR code is an image XObject that carries a soft mask (the PNG's alpha channel), itself an image.
  const masked = text.match(/\/SMask \d+ 0 R/g)?.length ?? 0;
  return { text, pages: text.match(/\/Type \/Page\b/g)?.length ?? 0, images: (text.match(/\/Subtype \/Image/g)?.length ?? 0) - masked };
}

describe("badge sheets", () => {
  it("puts one badge per A6 page, each with its QR code", async () => {
    const pdf = await render(3, "a6");
    expect(pdf.text.startsWith("%PDF-")).toBe(true);
    expect(pdf.pages).toBe(3);
    expect(pdf.images).toBe(3);
    expect(pdf.text).toContain("/MediaBox [0 0 297.64 419.53]");
  });

  it("fills A4 sheets of 2 × 4 labels, starting a new sheet on the ninth", async () => {
    const pdf = await render(9, "labels");
    expect(pdf.pages).toBe(2);
    expect(pdf.images).toBe(9);
    expect(pdf.text).toContain("/MediaBox [0 0 595.28 841.89]");
  });

  it("still makes a (blank) document when the filter matches nobody", async () => {
    expect((await render(0, "labels")).pages).toBe(1);
  });
});
