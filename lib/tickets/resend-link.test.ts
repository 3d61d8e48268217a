import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { resendTicketLinks } from "./resend-link";

const { db } = await useTestDatabase();

describe("resendTicketLinks", () => {
  it("re-queues the confirmation for a known address, says the same for an unknown one, limits the rate", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free", "lost"), { holdMinutes: 35 });
    if (!result.ok) throw new Error(result.reason);
    const queued = () => db.emailOutbox.count({ where: { orderId: result.order.id } });
    expect(await queued()).toBe(1);

    expect(
      await resendTicketLinks(db, { editionSlug: edition.slug, email: " ADA.lost@example.org ", clientKey: "ip-1" }),
    ).toBe("sent_if_known");
    expect(await queued()).toBe(2);
    expect(
      await resendTicketLinks(db, { editionSlug: edition.slug, email: "nobody@example.org", clientKey: "ip-1" }),
    ).toBe("sent_if_known");
    expect(await resendTicketLinks(db, { editionSlug: edition.slug, email: "not an email", clientKey: "ip-1" })).toBe(
      "invalid_email",
    );

    expect(
      await resendTicketLinks(db, { editionSlug: edition.slug, email: "ada.lost@example.org", clientKey: "ip-2" }),
    ).toBe("sent_if_known");
    expect(
      await resendTicketLinks(db, { editionSlug: edition.slug, email: "ada.lost@example.org", clientKey: "ip-3" }),
    ).toBe("sent_if_known");
    expect(
      await resendTicketLinks(db, { editionSlug: edition.slug, email: "ada.lost@example.org", clientKey: "ip-4" }),
    ).toBe("rate_limited");
    expect(await queued()).toBe(4);
  });
});

describe("resendTicketLinks, answering before it looks", () => {
  it("does the same work before answering for a known and an unknown address, and the rest afterwards", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free", "later"), { holdMinutes: 35 });
    if (!result.ok) throw new Error(result.reason);
    const queued = () => db.emailOutbox.count({ where: { orderId: result.order.id } });
    const deferred: (() => Promise<void>)[] = [];
    const defer = (work: () => Promise<void>) => void deferred.push(work);
    const before = await queued();

    expect(
      await resendTicketLinks(
        db,
        { editionSlug: edition.slug, email: "ada.later@example.org", clientKey: "ip-9" },
        new Date(),
        defer,
      ),
    ).toBe("sent_if_known");
    expect(
      await resendTicketLinks(
        db,
        { editionSlug: edition.slug, email: "stranger@example.org", clientKey: "ip-9" },
        new Date(),
        defer,
      ),
    ).toBe("sent_if_known");
    expect(deferred).toHaveLength(2);
    expect(await queued()).toBe(before);
    for (const work of deferred) await work();
    expect(await queued()).toBe(before + 1);
  });
});
