import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { saveCertificateSettings } from "@/lib/certificates/settings";
import { certificateSendCounts, sendAllCertificates } from "./send-certificates";

const { db, url, newClient } = await useTestDatabase();
// The real worker delivers them: it judges eligibility on the wall clock, so the editions here ended an hour ago.
const { smtp } = await useEmailWorker(db, url);

const AFTER = new Date();
const ENDS_AT = new Date(AFTER.getTime() - 3_600_000);
const STARTS_AT = new Date(ENDS_AT.getTime() - 8 * 3_600_000);
const CHECKED_IN = new Date(STARTS_AT.getTime() + 300_000);

async function endedEdition() {
  const created = await createEdition(db, { capacity: 10 });
  const edition = await db.edition.update({
    where: { id: created.id },
    data: { startsAt: STARTS_AT, endsAt: ENDS_AT },
  });
  const organiser = await createOrganiser(db);
  const signature = PNG.sync.write(new PNG({ width: 200, height: 80 }));
  const form = { enabled: "on", minutes: "420", signatoryName: "Camille Martin", signature };
  if (!(await saveCertificateSettings(db, organiser, edition.id, form)).ok) throw new Error("settings refused");
  const came = await registerTicket(db, edition.slug, "free", "came");
  const noShow = await registerTicket(db, edition.slug, "free", "away");
  const refunded = await registerTicket(db, edition.slug, "free", "refunded");
  await db.ticket.updateMany({ where: { id: { in: [came.id, refunded.id] } }, data: { checkedInAt: CHECKED_IN } });
  await db.order.update({ where: { id: refunded.orderId }, data: { status: "REFUNDED" } });
  return { edition, organiser, came, noShow, refunded };
}

async function certificateEmails(editionId: string) {
  const outbox = await db.emailOutbox.findMany({ where: { editionId, kind: "certificate_ready" } });
  const [{ jobs }] = await db.$queryRaw<{ jobs: number }[]>`
    SELECT count(*)::int AS jobs FROM pgboss.job
     WHERE name = 'email.bulk' AND singleton_key = ANY(${outbox.map((row) => row.id)}::text[])`;
  return { to: outbox.map((row) => row.toAddress), jobs };
}

describe("sending every certificate", () => {
  it("emails only the attendee who came, once however many clicks", async () => {
    const { edition, organiser, came } = await endedEdition();
    expect(await certificateSendCounts(db, edition.id)).toEqual({ eligible: 1, reached: 0 });

    expect(await sendAllCertificates(db, organiser, edition.id, AFTER)).toEqual({ ok: true, added: 1, queued: 1 });
    expect(await certificateEmails(edition.id)).toEqual({ to: [came.email], jobs: 1 });
    expect(await certificateSendCounts(db, edition.id)).toEqual({ eligible: 1, reached: 1 });
    const certificates = () =>
      smtp.messages.filter((mail) => mail.attachments.some((file) => file.filename?.startsWith("certificate-")));
    await expect.poll(() => certificates().length).toBe(1);
    expect(certificates().map((mail) => !Array.isArray(mail.to) && mail.to?.text)).toEqual([came.email]);
    const message = await db.message.findFirstOrThrow({ where: { editionId: edition.id, kind: "CERTIFICATE" } });
    expect(message).toMatchObject({ status: "QUEUED", essential: true, audience: "ATTENDEES" });

    expect(await sendAllCertificates(db, organiser, edition.id, AFTER)).toEqual({ ok: true, added: 0, queued: 0 });
    expect(await certificateEmails(edition.id)).toEqual({ to: [came.email], jobs: 1 });
    const audit = await db.auditEntry.findMany({ where: { editionId: edition.id, action: "certificates.sent" } });
    expect(audit.map((entry) => [entry.actorEmail, entry.subjectId, entry.after])).toEqual([
      [organiser.email, message.id, { recipients: 1 }],
    ]);
  });

  it("reaches, on a later click, only those whose check-in was recorded since", async () => {
    const { edition, organiser, came, noShow } = await endedEdition();
    await sendAllCertificates(db, organiser, edition.id, AFTER);
    await db.ticket.update({ where: { id: noShow.id }, data: { checkedInAt: CHECKED_IN } });
    expect(await certificateSendCounts(db, edition.id)).toEqual({ eligible: 2, reached: 1 });
    expect(await sendAllCertificates(db, organiser, edition.id, AFTER)).toEqual({ ok: true, added: 1, queued: 1 });
    expect((await certificateEmails(edition.id)).to.sort()).toEqual([came.email, noShow.email].sort());
  });

  it("sends one email each when two instances click at the same moment", async () => {
    const { edition, organiser } = await endedEdition();
    const other = newClient(3);
    const both = await Promise.all([
      sendAllCertificates(db, organiser, edition.id, AFTER),
      sendAllCertificates(other, organiser, edition.id, AFTER),
    ]);
    expect(both.map((result) => (result.ok ? result.added : -1)).sort()).toEqual([0, 1]);
    expect(await certificateEmails(edition.id)).toMatchObject({ jobs: 1 });
    expect(await db.message.count({ where: { editionId: edition.id, kind: "CERTIFICATE" } })).toBe(1);
  });

  it("refuses before the end and while certificates are off, writing nothing", async () => {
    const { edition, organiser } = await endedEdition();
    expect(await sendAllCertificates(db, organiser, edition.id, new Date(ENDS_AT.getTime() - 60_000))).toEqual({
      ok: false,
      reason: "edition_not_ended",
    });
    await db.certificateSettings.update({ where: { editionId: edition.id }, data: { enabled: false } });
    expect(await sendAllCertificates(db, organiser, edition.id, AFTER)).toEqual({
      ok: false,
      reason: "certificates_disabled",
    });
    expect(await db.message.count({ where: { editionId: edition.id } })).toBe(0);
    expect(await certificateEmails(edition.id)).toEqual({ to: [], jobs: 0 });
  });
});
