import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { effectiveOrderStatus, getOrderByAccessToken } from "./queries";
import { registerAttendee } from "./register";

const { db } = await useTestDatabase();

describe("effectiveOrderStatus", () => {
  const now = new Date("2027-01-10T10:00:00Z");
  it("treats a pending order past its hold as expired", () => {
    expect(effectiveOrderStatus({ status: "PENDING", holdExpiresAt: now }, now)).toBe("EXPIRED");
    expect(effectiveOrderStatus({ status: "PENDING", holdExpiresAt: new Date(now.getTime() + 1) }, now)).toBe(
      "PENDING",
    );
    expect(effectiveOrderStatus({ status: "CONFIRMED", holdExpiresAt: null }, now)).toBe("CONFIRMED");
  });
});

describe("getOrderByAccessToken", () => {
  it("finds an order by its token and nothing by a forged or malformed one", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free"), { holdMinutes: 30 });
    if (!result.ok) throw new Error(result.reason);
    const order = await getOrderByAccessToken(db, result.order.accessToken);
    expect(order?.tickets[0].ticketType.code).toBe("free");
    expect(
      await getOrderByAccessToken(
        db,
        result.order.accessToken.replace(/^./, (c) => (c === "A" ? "B" : "A")),
      ),
    ).toBeNull();
    expect(await getOrderByAccessToken(db, result.order.id)).toBeNull();
    expect(await getOrderByAccessToken(db, '\'; DROP TABLE "Order"; --')).toBeNull();
  });
});
