import { describe, expect, it } from "vitest";
import { composeSampleEmails } from "@/devtools/testing/email-samples";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { buttonBlock, detailsBlock, emailLayout, footerBlock, markdownBlock, textBlock, ticketBlock } from "./layout";

const hostile = `<script>alert("x")</script> & "quotes"`;

function everyBlock(optOut?: { label: string; href: string }) {
  return emailLayout({
    locale: "fr",
    title: `Infos pratiques ${hostile}`,
    preheader: `Tout ce qu'il faut savoir ${hostile}`,
    blocks: [
      markdownBlock(
        `## Bienvenue\n\nLe **wifi** : \`devconf\`. Voir [le programme](https://devconf.example/programme).\n\n` +
          `${"mot ".repeat(50)}https://devconf.example/${"tres-long-".repeat(12)}`,
      ),
      ticketBlock({ qrCid: "qr-1@guichet", alt: `Code QR ${hostile}`, holder: `Zoé ${hostile}`, type: "Entrée" }),
      detailsBlock([
        { label: "Lieu", value: `Palais des congrès ${hostile}` },
        { label: "Adresse", value: "2 place de la Porte Maillot, 75017 Paris" },
      ]),
      buttonBlock(`Voir mon billet ${hostile}`, "https://tickets.example/fr/tickets/abc?x=1&y=2"),
    ],
    footer: footerBlock({ reason: `Vous êtes inscrit à DevConf ${hostile}`, optOut }),
  });
}

const linksOf = (html: string) =>
  [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1].replaceAll("&#38;", "&"));

describe("the email layout", () => {
  const { html, text } = everyBlock({ label: "Ne plus recevoir ces messages", href: "https://t.example/optout/h.s" });

  it("keeps to what mail clients render: tables, inline styles, no style sheet, class, flex, grid or position", () => {
    expect(html).toMatch(/^<!doctype html><html lang="fr">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1" />');
    expect(html).toContain('<meta name="color-scheme" content="light" />');
    expect(html).not.toMatch(/<style|class=|display:\s*(flex|grid)|position:|@import|<link |url\(/i);
    const tables = [...html.matchAll(/<table[^>]*>/g)].map((match) => match[0]);
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const table of tables) expect(table).toContain('role="presentation"');
    // Fluid: the column fills a phone and stops at 600 px on a desktop.
    expect(html).toContain('width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px');
    // The only image is the attached QR code, sized and described.
    const images = [...html.matchAll(/<img [^>]*>/g)].map((match) => match[0]);
    expect(images).toEqual([expect.stringMatching(/src="cid:qr-1@guichet" width="160" height="160" alt="Code QR /)]);
    expect(html.length).toBeLessThan(100_000);
  });

  it("escapes every text it is given, in content and attributes", () => {
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('"quotes"');
    expect(html).toContain(
      "<title>Infos pratiques &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;quotes&#34;",
    );
    expect(html).toContain('alt="Code QR &#60;script&#62;');
    expect(html).toContain('href="https://tickets.example/fr/tickets/abc?x=1&#38;y=2"');
  });

  it("hides the preheader and draws the button as a padded link in a coloured cell, 48 px tall", () => {
    expect(html).toMatch(/<div style="display:none;max-height:0;overflow:hidden[^"]*">Tout ce qu&#39;il faut savoir/);
    const cell = '<td bgcolor="#0b5cad" style="background-color:#0b5cad;border-radius:8px"><a href="';
    const button = html.slice(html.indexOf(cell) + cell.length);
    expect(button).toMatch(/^[^"]+" style="display:inline-block;padding:12px 20px;[^"]*line-height:24px/);
  });

  it("gives a text part saying what the HTML says, every link with its address, wrapped at 78 columns", () => {
    for (const link of linksOf(html)) expect(text).toContain(link);
    expect(linksOf(html)).toHaveLength(4);
    for (const words of ["Bienvenue", "Zoé", "Lieu\nPalais des congrès", "Voir mon billet", "Vous êtes inscrit"]) {
      expect(text).toContain(words);
    }
    expect(text.replace(/\s+/g, " ")).toContain(
      `Voir mon billet ${hostile} [https://tickets.example/fr/tickets/abc?x=1&y=2]`,
    );
    const long = `https://devconf.example/${"tres-long-".repeat(12)}`;
    expect(text.split("\n").filter((line) => line.length > 78 && !line.includes(long))).toEqual([]);
  });

  it("breaks long words instead of widening the column on a phone", () => {
    expect(html).toMatch(/<p style="[^"]*overflow-wrap:anywhere;word-break:break-word">mot mot/);
  });

  it("shows the opt-out link only for a message one may refuse", () => {
    expect(linksOf(html)).toContain("https://t.example/optout/h.s");
    const essential = everyBlock();
    expect(linksOf(essential.html)).not.toContain("https://t.example/optout/h.s");
    expect(essential.text).not.toContain("Ne plus recevoir");
  });
});

describe("the app's own wording", () => {
  it("is text, paragraph by paragraph: never read as Markdown nor as HTML", () => {
    const block = textBlock([`*free* [x](https://e.example) ${hostile}`, "Second"]);
    expect(block.html).not.toContain("<script");
    expect(block.html).not.toContain("<em>");
    expect(block.html).not.toContain("<a ");
    expect(block.html.match(/<p style="/g)).toHaveLength(2);
    expect(block.text).toBe(`*free* [x](https://e.example) ${hostile}\n\nSecond`);
  });
});

describe("every email on the layout, as composed from the app's rows", async () => {
  const { db } = await useTestDatabase();
  const emails = await composeSampleEmails(db, {
    db,
    appUrl: "https://tickets.example.org",
    signingKey: ticketKeysFrom(generateTicketSigningKey()).privateKey,
  });

  it("covers every kind with an editable wording: the app's own emails, a message, reminders, a certificate", () => {
    expect(emails.map((email) => email.kind).sort()).toEqual([
      "certificate_ready",
      "message",
      "order_cancelled",
      "order_confirmation",
      "order_refunded",
      "practical_info",
      "speaker_pass",
      "ticket_issued",
      "unnamed_reminder",
      "waitlist_joined",
      "waitlist_offer",
      "waitlist_offer_lapsed",
    ]);
  });

  describe.each(emails.map((email) => [email.kind, email] as const))("%s", (_kind, { html, text, images }) => {
    it("keeps to what mail clients render: no style sheet, class, flex, grid, position or remote image", () => {
      expect(html).toMatch(/^<!doctype html><html lang="(fr|en)">/);
      expect(html).not.toMatch(/<style|class=|display:\s*(flex|grid)|position:|@import|<link |url\(/i);
      for (const image of html.matchAll(/<img [^>]*>/g)) {
        expect(image[0]).toMatch(/src="cid:([^"]+)" width="\d+" height="\d+" alt="[^"]+"/);
        expect(images.has(/src="cid:([^"]+)"/.exec(image[0])![1])).toBe(true);
      }
    });

    it("draws every table for layout only, and stays under Gmail's clipping size", () => {
      const tables = [...html.matchAll(/<table[^>]*>/g)].map((match) => match[0]);
      expect(tables.length).toBeGreaterThanOrEqual(3);
      for (const table of tables) expect(table).toContain('role="presentation"');
      expect(Buffer.byteLength(html)).toBeLessThan(100_000);
    });

    it("gives a text part with every link of the HTML", () => {
      // html-to-text writes a mailto: link as its address alone.
      for (const link of linksOf(html)) expect(text.replace(/mailto:/g, "")).toContain(link.replace(/^mailto:/, ""));
    });
  });
});
