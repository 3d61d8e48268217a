import { describe, expect, it } from "vitest";
import { OrderStatus, TicketStatus } from "@/lib/generated/prisma/enums";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { certificateEligibility, certificateEligibleSql, type CertificateSettingsRow } from "./eligible";

const { db } = await useTestDatabase(2);

const ENDS = new Date("2027-05-20T16:00:00Z");
const AFTER = new Date("2027-05-20T16:00:00Z");
const ENABLED: CertificateSettingsRow = {
  enabled: true,
  minutes: 450,
  signatoryName: "Camille Martin",
  signatureType: "image/png",
};
const named = { firstName: "Ada", lastName: "Lovelace" };
const unnamed = { firstName: null, lastName: null };
const came = new Date("2027-05-20T07:10:00Z");
const valid = { ticket: { status: "ACTIVE", ...named, checkedInAt: came }, order: { status: "CONFIRMED" } };

describe("a certificate of attendance", () => {
  it("is given to a named attendee of a confirmed order who was checked in, once the edition ended", () => {
    expect(certificateEligibility(valid.ticket, valid.order, { endsAt: ENDS }, ENABLED, AFTER)).toBe("eligible");
  });

  it("is refused, with its reason, for each rule it breaks", () => {
    const judge = (change: { ticket?: object; order?: object; settings?: CertificateSettingsRow | null; now?: Date }) =>
      certificateEligibility(
        { ...valid.ticket, ...change.ticket },
        { ...valid.order, ...change.order },
        { endsAt: ENDS },
        change.settings === undefined ? ENABLED : change.settings,
        change.now ?? AFTER,
      );
    expect(judge({ settings: null })).toBe("disabled");
    expect(judge({ settings: { ...ENABLED, enabled: false } })).toBe("disabled");
    expect(judge({ settings: { ...ENABLED, signatureType: null } })).toBe("disabled");
    expect(judge({ settings: { ...ENABLED, minutes: null } })).toBe("disabled");
    expect(judge({ settings: { ...ENABLED, signatoryName: null } })).toBe("disabled");
    expect(judge({ now: new Date(ENDS.getTime() - 1) })).toBe("not_ended");
    expect(judge({ ticket: { status: "CANCELLED" } })).toBe("not_valid");
    expect(judge({ order: { status: "REFUNDED" } })).toBe("not_valid");
    expect(judge({ order: { status: "PENDING" } })).toBe("not_valid");
    expect(judge({ ticket: { ...unnamed, checkedInAt: came } })).toBe("unnamed");
    expect(judge({ ticket: { checkedInAt: null } })).toBe("not_checked_in");
  });

  it("has an SQL twin that agrees for every ticket status, order status, name and check-in", async () => {
    const cases = Object.values(TicketStatus).flatMap((ticket) =>
      Object.values(OrderStatus).flatMap((order) =>
        [named, unnamed].flatMap((name) =>
          [came, null].map((checkedInAt) => ({ ticket, order, ...name, checkedInAt })),
        ),
      ),
    );
    const editionId = "8a5ea0a6-5b0e-4c8a-9a57-0c1f4b1f0001";
    const rows = await db.$queryRaw<{ eligible: boolean }[]>`
      SELECT (${certificateEligibleSql}) AS eligible
        FROM jsonb_array_elements(${JSON.stringify(cases)}::jsonb) WITH ORDINALITY AS x(c, n)
        CROSS JOIN LATERAL (SELECT c->>'ticket' AS status, ${editionId}::uuid AS "editionId",
                                   (c->>'checkedInAt')::timestamptz AS "checkedInAt",
                                   CASE WHEN c->>'firstName' IS NULL THEN NULL ELSE 'ada@example.org' END AS email) t
        CROSS JOIN LATERAL (SELECT c->>'order' AS status, ${editionId}::uuid AS "editionId") o
       ORDER BY n`;
    const expected = cases.map(
      (c) =>
        certificateEligibility(
          { status: c.ticket, firstName: c.firstName, lastName: c.lastName, checkedInAt: c.checkedInAt },
          { status: c.order },
          { endsAt: ENDS },
          ENABLED,
          AFTER,
        ) === "eligible",
    );
    expect(rows.map((row) => row.eligible)).toEqual(expected);
    expect(expected.filter(Boolean)).toHaveLength(1);
  });
});
