import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { emailHash } from "@/lib/messages/opt-out";
import { exportForOrganiser } from "./export";
import { handledRequests, openRequests, refuseRequest, requestErasure } from "./requests";

const { db } = await useTestDatabase();
const admin = await upsertUser(db, { email: "dpo@example.org", role: "ADMIN" });

describe("data requests", () => {
  it("are refused once, with a note, keeping the address's hash only", async () => {
    const key = `${randomUUID()}@example.org`;
    const { id } = await db.$transaction((tx) => requestErasure(tx, key, new Date()));
    expect((await openRequests(db)).map((request) => request.email)).toContain(key);
    expect(await refuseRequest(db, id, admin, "Not the address we wrote to", new Date())).toEqual({ ok: true });
    expect(await refuseRequest(db, id, admin, "again", new Date())).toEqual({ ok: false, reason: "not_open" });
    expect(await db.privacyRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "REFUSED",
      email: null,
      emailHash: emailHash(key),
      note: "Not the address we wrote to",
      completedById: admin.id,
    });
    expect((await openRequests(db)).map((request) => request.email)).not.toContain(key);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "privacy.request_refused", subjectId: id } });
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it("an organiser's download records the access request done, closing an open one", async () => {
    const key = `${randomUUID()}@example.org`;
    await db.privacyRequest.create({
      data: { kind: "ACCESS", email: key, emailHash: emailHash(key), via: "attendee" },
    });
    expect(await exportForOrganiser(db, key, admin, new Date())).toMatchObject({ address: key, orders: [] });
    const other = `${randomUUID()}@example.org`;
    await exportForOrganiser(db, other, admin, new Date());
    const requests = await db.privacyRequest.findMany({
      where: { emailHash: { in: [emailHash(key), emailHash(other)] } },
      orderBy: { requestedAt: "asc" },
    });
    expect(requests).toMatchObject([
      { kind: "ACCESS", status: "DONE", via: "attendee", email: null },
      { kind: "ACCESS", status: "DONE", via: "organiser", email: null },
    ]);
    expect(await db.auditEntry.count({ where: { action: "privacy.exported" } })).toBe(2);
  });

  it("handled ones are listed latest first, with who answered and the note, never the address", async () => {
    // Handled after the other tests' requests (handled now): the list's first two.
    const refused = `${randomUUID()}@example.org`;
    const { id } = await db.$transaction((tx) => requestErasure(tx, refused, new Date("2030-11-02T10:00:00Z")));
    await refuseRequest(db, id, admin, "Asked from an address we never wrote to", new Date("2030-11-03T10:00:00Z"));
    const exported = `${randomUUID()}@example.org`;
    await exportForOrganiser(db, exported, admin, new Date("2030-11-04T10:00:00Z"));
    const [latest, before] = await handledRequests(db, 2);
    expect([latest, before]).toMatchObject([
      { kind: "ACCESS", status: "DONE", via: "organiser", completedBy: { email: "dpo@example.org" } },
      { id, kind: "ERASURE", status: "REFUSED", note: "Asked from an address we never wrote to" },
    ]);
    expect(JSON.stringify([latest, before])).not.toMatch(new RegExp(`${refused}|${exported}`));
  });
});
