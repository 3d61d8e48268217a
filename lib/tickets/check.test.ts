import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/lib/testing/fixtures";
import { useTestDatabase } from "@/lib/testing/test-database";
import { checkTicketCode } from "./check";
import { generateTicketSigningKey, signTicketCode, ticketKeysFrom } from "./codes";

const { db } = await useTestDatabase();
const keys = ticketKeysFrom(generateTicketSigningKey());

async function confirmedTicket() {
  const edition = await createEdition(db, { capacity: 5 });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
}

const codeFor = (ticket: { id: string; editionId: string; codeVersion: number }) =>
  signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion }, keys.privateKey);

describe("checkTicketCode", () => {
  it("accepts the current code of an active ticket", async () => {
    const ticket = await confirmedTicket();
    expect(await checkTicketCode(db, codeFor(ticket), keys.publicKey)).toEqual({ status: "valid", ticketId: ticket.id, editionId: ticket.editionId });
  });

  it("revokes the code of a cancelled ticket and the old code of a reissued one", async () => {
    const cancelled = await confirmedTicket();
    await db.ticket.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } });
    expect((await checkTicketCode(db, codeFor(cancelled), keys.publicKey)).status).toBe("revoked");

    const reissued = await confirmedTicket();
    const oldCode = codeFor(reissued);
    const updated = await db.ticket.update({ where: { id: reissued.id }, data: { codeVersion: { increment: 1 } } });
    expect((await checkTicketCode(db, oldCode, keys.publicKey)).status).toBe("revoked");
    expect((await checkTicketCode(db, codeFor(updated), keys.publicKey)).status).toBe("valid");
  });

  it("calls forged what we did not sign, and unknown what we signed for no such ticket", async () => {
    const ticket = await confirmedTicket();
    const foreign = ticketKeysFrom(generateTicketSigningKey());
    expect(await checkTicketCode(db, signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: 1 }, foreign.privateKey), keys.publicKey)).toEqual({
      status: "forged",
    });
    expect(await checkTicketCode(db, codeFor({ id: randomUUID(), editionId: ticket.editionId, codeVersion: 1 }), keys.publicKey)).toEqual({ status: "unknown" });
    expect(await checkTicketCode(db, codeFor({ ...ticket, editionId: randomUUID() }), keys.publicKey)).toEqual({ status: "unknown" });
  });
});
