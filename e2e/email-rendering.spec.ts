import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { composeSampleEmails, type SampleEmail } from "@/devtools/testing/email-samples";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { expect, test } from "./support/database";

// Each email on the layout, as composed for sending from rows seeded as the app makes them, opened in Chromium as
// a mail client shows it: at a phone's width and a desktop's. No app page is involved: the HTML is the email's.
const KINDS = [
  "order_confirmation",
  "ticket_issued",
  "order_cancelled",
  "order_refunded",
  "speaker_pass",
  "unnamed_reminder",
  "waitlist_joined",
  "waitlist_offer",
  "waitlist_offer_lapsed",
  "message",
  "practical_info",
  "certificate_ready",
] as const;

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

let db: Db;
let emails: SampleEmail[];

test.beforeAll(async () => {
  db = createPrismaClient(process.env.DATABASE_URL!, 2);
  const signingKey = ticketKeysFrom(generateTicketSigningKey()).privateKey;
  emails = await composeSampleEmails(db, { db, appUrl: "http://localhost", signingKey });
});

test.afterAll(async () => {
  await db.$disconnect();
});

// A mail client shows the attached QR codes in place of their cid: references.
function withImages({ html, images }: SampleEmail): string {
  return html.replace(/src="cid:([^"]+)"/g, (_match, cid: string) => {
    const image = images.get(cid);
    if (!image) throw new Error(`no attachment for cid:${cid}`);
    return `src="data:image/png;base64,${image.toString("base64")}"`;
  });
}

async function measure(page: Page) {
  return page.evaluate(() => {
    const visible = (element: Element) => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return style.display !== "none" && style.visibility !== "hidden" && box.width > 0 && box.height > 0;
    };
    const column = [...document.querySelectorAll("table")].find((table) =>
      table.getAttribute("style")?.includes("max-width:600px"),
    )!;
    // The body text: every paragraph, item and cell of the white column that holds words of its own.
    const sizes = [...column.querySelectorAll("p, li, td, span, strong, a")]
      .filter(
        (element) =>
          visible(element) && [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent!.trim()),
      )
      .map((element) => ({
        text: element.textContent!.trim().slice(0, 40),
        size: parseFloat(getComputedStyle(element).fontSize),
      }));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      columnWidth: column.getBoundingClientRect().width,
      buttons: [...document.querySelectorAll("td[bgcolor] > a")].map((link) => ({
        text: link.textContent,
        height: link.getBoundingClientRect().height,
      })),
      smallText: sizes.filter((entry) => entry.size < 14),
    };
  });
}

for (const kind of KINDS) {
  test(`${kind}: fits a phone and a desktop, readable, with buttons to tap and no serious accessibility fault`, async ({
    page,
  }, testInfo) => {
    const email = emails.find((candidate) => candidate.kind === kind)!;
    expect(email, `a sample ${kind} email`).toBeDefined();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.setContent(withImages(email), { waitUntil: "load" });
      const seen = await measure(page);
      expect(seen.scrollWidth, `${size.name}: nothing wider than the screen`).toBeLessThanOrEqual(seen.innerWidth);
      if (size.name === "phone") {
        // The column fills the phone but for the page's 8 px margins.
        expect(seen.columnWidth).toBe(size.width - 16);
      } else {
        expect(seen.columnWidth).toBe(600);
      }
      for (const button of seen.buttons)
        expect(button.height, `${size.name}: ${button.text}`).toBeGreaterThanOrEqual(44);
      expect(seen.smallText, `${size.name}: body text under 14 px`).toEqual([]);
      const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
        (violation) => violation.impact === "serious" || violation.impact === "critical",
      );
      expect(
        serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`),
      ).toEqual([]);
      await testInfo.attach(`${kind}-${size.name}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: "image/png",
      });
    }
  });
}
