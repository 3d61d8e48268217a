import AxeBuilder from "@axe-core/playwright";
import { registerAttendee } from "@/lib/orders/register";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

for (const [locale, words] of [
  ["fr", { list: "acheté par Grace Hopper", title: "Commande", tickets: "Billets de cette commande" }],
  ["en", { list: "bought by Grace Hopper", title: "Order", tickets: "Tickets of this order" }],
] as const) {
  test(`an organiser follows a team's ticket to its order: buyer, every ticket, history (${locale})`, async ({
    page,
    context,
    db,
    newEdition,
  }) => {
    const edition = await newEdition({
      capacity: 10,
      ticketTypes: [{ code: "standard", priceCents: 4900 }, { code: "speaker" }],
    });
    const buyer = { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("buyer"), company: "Navy" };
    const names = ["Lovelace", "Turing", "Hamilton"];
    const tickets = names.map((lastName, i) => ({
      ticketType: i === 1 ? "speaker" : "standard",
      attendee: { firstName: "Ada", lastName, email: uniqueEmail(lastName) },
    }));
    const placed = await registerAttendee(db, edition.slug, { buyer, locale, tickets }, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);

    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: "http://localhost" }]);
    await signInAs(context, "ORGANISER");
    await page.goto(`/admin/editions/${edition.slug}/attendees`);
    const row = page.getByRole("row").filter({ hasText: "Turing" });
    await expect(row.getByText(words.list)).toBeVisible();
    // A ticket's own price, not its order's total.
    await expect(row.getByRole("cell", { name: /0[,.]00/ })).toBeVisible();
    await row.getByRole("link", { name: placed.order.reference }).click();

    await expect(
      page.getByRole("heading", { level: 2, name: new RegExp(`${words.title} ${placed.order.reference}`) }),
    ).toBeVisible();
    await expect(page.getByText(buyer.email)).toBeVisible();
    const table = page.getByRole("table", { name: words.tickets });
    await expect(table.getByRole("row")).toHaveCount(4);
    for (const lastName of names) await expect(table.getByRole("link", { name: `Ada ${lastName}` })).toBeVisible();
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  });
}
