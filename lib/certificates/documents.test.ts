import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { pdfText } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { certificateFile, sampleCertificateFile } from "./documents";
import { saveCertificateSettings } from "./settings";

const { db } = await useTestDatabase(4);

const AFTER = new Date("2027-05-21T00:00:00Z");

async function endedEditionWithCertificates() {
  const edition = await createEdition(db, { capacity: 10 });
  const signature = PNG.sync.write(new PNG({ width: 200, height: 80 }));
  const form = { enabled: "on", minutes: "420", signatoryName: "Camille Martin", signature };
  const saved = await saveCertificateSettings(db, await createOrganiser(db), edition.id, form);
  if (!saved.ok) throw new Error("settings refused");
  const came = await registerTicket(db, edition.slug, "free", "came");
  const away = await registerTicket(db, edition.slug, "free", "away");
  await db.ticket.update({ where: { id: came.id }, data: { checkedInAt: new Date("2027-05-20T07:05:00Z") } });
  const order = await db.order.findUniqueOrThrow({ where: { id: came.orderId } });
  return { edition, came, away, order };
}

describe("a certificate download", () => {
  it("gives the checked-in attendee's certificate by their link, their buyer's and the back office", async () => {
    const { edition, came, order } = await endedEditionWithCertificates();
    const byTicket = await certificateFile(db, { ticketToken: came.accessToken! }, AFTER, "fr");
    expect(byTicket?.filename).toBe(`attestation-${order.reference}-1.pdf`);
    const text = pdfText(byTicket!.pdf);
    expect(text).toContain("Ada Lovelace came");
    expect(text).toContain("Durée\u00a0: 7\u00a0h");
    const byOrder = await certificateFile(db, { orderToken: order.accessToken!, position: 1 }, AFTER, "en");
    expect(byOrder?.filename).toBe(`certificate-${order.reference}-1.pdf`);
    // The back office prints it in the attendee's language (the order's here: English).
    const byOrganiser = await certificateFile(db, { editionId: edition.id, ticketId: came.id }, AFTER);
    expect(pdfText(byOrganiser!.pdf)).toContain("Certificate of attendance");
  });

  it("gives nothing to a no-show, before the end, for another position, edition or an unknown link", async () => {
    const { edition, came, away, order } = await endedEditionWithCertificates();
    const other = await createEdition(db, { capacity: 1 });
    for (const of of [
      { ticketToken: away.accessToken! },
      { orderToken: order.accessToken!, position: 2 },
      { ticketToken: "x".repeat(43) },
      { editionId: other.id, ticketId: came.id },
      { editionId: edition.id, ticketId: away.id },
    ]) {
      expect(await certificateFile(db, of, AFTER), JSON.stringify(of)).toBeNull();
    }
    expect(await certificateFile(db, { ticketToken: came.accessToken! }, new Date("2027-05-20T15:59:00Z"))).toBeNull();
  });

  it("has a sample for organisers before anyone came, once the settings are complete", async () => {
    const { edition } = await endedEditionWithCertificates();
    const sample = await sampleCertificateFile(db, edition.id, "fr");
    expect(sample?.filename).toBe(`${edition.slug}-attestation-EXEMPLE-1.pdf`);
    const lines = pdfText(sample!.pdf).split("\n");
    expect(lines).toEqual(expect.arrayContaining(["Camille Exemple", edition.nameFr, "Camille Martin"]));
    const bare = await createEdition(db, { capacity: 1 });
    expect(await sampleCertificateFile(db, bare.id, "fr")).toBeNull();
  });
});
