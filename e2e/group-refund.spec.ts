import { randomUUID } from "node:crypto";
import { createApiToken } from "@/lib/auth/api-tokens";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account } from "./support/back-office";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

test("the buyer of a paid group cancels one ticket and gets its price back; the other still admits (en)", async ({
  page,
  request,
  db,
}) => {
  const buyer = { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("group-buyer") };
  const member = (lastName: string, ticketType: string) => ({
    ticketType,
    attendee: { firstName: "Member", lastName, email: uniqueEmail(lastName.toLowerCase()) },
    answers: { coc: true },
  });
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: { buyer, locale: "en", tickets: [member("Stays", "standard"), member("Leaves", "supporter")] },
  });
  expect(created.status()).toBe(201);
  const { checkoutUrl, orderId } = await created.json();

  // Paid on the Stripe stand-in's hosted page with the 4242 test card.
  await page.goto(checkoutUrl);
  await expect(page.locator(".total")).toContainText("€199.00");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({ timeout: 15_000 });

  // On the buyer's order page, the second ticket's own control, behind a confirmation step.
  const leaving = page.getByTestId("order-ticket-2");
  const staying = page.getByTestId("order-ticket-1");
  await leaving.getByText("Cancel this ticket").click();
  await expect(leaving.getByText(/Its price, €150\.00, is refunded to the card you paid with/)).toBeVisible();
  await leaving.getByRole("button", { name: "Yes, cancel ticket 2" }).click();

  await expect(leaving.getByText("Cancelled, €150.00 refunded")).toBeVisible();
  await expect(page.getByText(/Your refund of €150\.00 (has been made|is on its way)/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
  await expect(staying.getByText("Cancel this ticket")).toBeVisible();

  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: { refunds: true, tickets: { orderBy: { position: "asc" } } },
  });
  expect(order.status).toBe("CONFIRMED");
  expect(order.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "REFUNDED"]);
  expect(order.refunds).toEqual([
    expect.objectContaining({ ticketId: order.tickets[1].id, amountCents: 15000, stripeRefundId: expect.any(String) }),
  ]);

  const mail = await waitForEmailTo(buyer.email, {
    subject: "Your refund for one ticket of Open Cloud Paris #12: €150.00",
  });
  expect(mail.text).toContain("ticket 2 (Member Leaves) of your order");
  expect(mail.text).toContain("€150.00 is refunded to the card you paid with");

  // At the door: the cancelled ticket's code is refused as refunded, the other one admits.
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const door = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: order.editionId });
  if (!door.ok || !door.token) throw new Error("no door token");
  const scan = async (ticket: (typeof order.tickets)[number]) => {
    const code = signTicketCode(
      { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
      keys().privateKey,
    );
    const response = await request.post("/api/v1/checkin", {
      headers: { authorization: `Bearer ${door.token}` },
      data: { edition: DEMO_EDITION, code, nonce: randomUUID(), deviceId: "door-1" },
    });
    expect(response.status()).toBe(200);
    return response.json();
  };
  expect(await scan(order.tickets[1])).toMatchObject({ result: "cancelled", reason: "refunded" });
  expect(await scan(order.tickets[0])).toMatchObject({ result: "admitted" });
});
