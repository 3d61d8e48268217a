import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { checkSignature, saveCertificateSettings, signatureImage } from "./settings";

const { db } = await useTestDatabase(2);

/** A real PNG of the given size, encoded by pngjs. */
function pngOf(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(0);
  return PNG.sync.write(png);
}

// A 40 × 20 baseline JPEG written by libjpeg (through sharp), whose SOF0 comes after two quantisation tables.
const JPEG = Buffer.from(
  [
    "/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBD",
    "ARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAUACgD",
    "ASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAA",
    "AP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJ+AAAAAAAAAAAD/2Q==",
  ].join(""),
  "base64",
);

const form = (overrides: Record<string, unknown> = {}) => ({
  enabled: "on",
  minutes: "450",
  signatoryName: "Camille Martin",
  signatoryTitle: "Présidente",
  ...overrides,
});

describe("the signature image", () => {
  it("is known by its bytes: a PNG's IHDR and a JPEG's frame header give its size", () => {
    expect(signatureImage(pngOf(300, 120))).toEqual({ type: "image/png", width: 300, height: 120 });
    expect(signatureImage(JPEG)).toEqual({ type: "image/jpeg", width: 40, height: 20 });
    expect(signatureImage(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).toBeNull();
    expect(signatureImage(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(signatureImage(JPEG.subarray(0, 30))).toBeNull();
  });

  it("is refused above 200 KB or 1200 × 600", () => {
    expect(checkSignature(pngOf(1200, 600)).ok).toBe(true);
    expect(checkSignature(pngOf(1201, 100))).toEqual({ ok: false, code: "signature_too_big" });
    expect(checkSignature(pngOf(100, 601))).toEqual({ ok: false, code: "signature_too_big" });
    const large = Buffer.concat([pngOf(10, 10), Buffer.alloc(200 * 1024)]);
    expect(checkSignature(large)).toEqual({ ok: false, code: "signature_too_large" });
  });
});

describe("certificate settings", () => {
  it("are enabled only with a duration, a signatory and a signature; saved without a file, keep it", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    const refused = await saveCertificateSettings(db, actor, edition.id, form({ minutes: "", signatoryName: "" }));
    expect(refused).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { minutes: ["required"], signatoryName: ["required"], signature: ["required"] },
    });
    expect(await db.certificateSettings.count()).toBe(0);

    const saved = await saveCertificateSettings(db, actor, edition.id, { ...form(), signature: pngOf(300, 120) });
    expect(saved.ok && saved.settings).toMatchObject({ enabled: true, minutes: 450, signatureType: "image/png" });
    const kept = await saveCertificateSettings(db, actor, edition.id, form({ signatoryTitle: "" }));
    expect(kept.ok && kept.settings).toMatchObject({ signatoryTitle: null, signatureType: "image/png" });
    const removed = await saveCertificateSettings(db, actor, edition.id, form({ removeSignature: "on" }));
    expect(removed).toEqual({ ok: false, reason: "invalid", fieldErrors: { signature: ["required"] } });
  });

  it("refuse a file that is not a PNG or JPEG whatever its name, and a duration out of 15 min to 7 days", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");
    expect(
      await saveCertificateSettings(db, actor, edition.id, { ...form({ minutes: "14" }), signature: gif }),
    ).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { minutes: ["too_small"], signature: ["signature_not_image"] },
    });
    const tooLong = await saveCertificateSettings(db, actor, edition.id, form({ minutes: "10081" }));
    expect(!tooLong.ok && tooLong.fieldErrors.minutes).toEqual(["too_large"]);
  });

  it("are audited with the image's hash and size, never its bytes, and only when something changed", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    const jpeg = Uint8Array.from(JPEG);
    await saveCertificateSettings(db, actor, edition.id, { ...form(), signature: jpeg });
    await saveCertificateSettings(db, actor, edition.id, form());
    await saveCertificateSettings(db, actor, edition.id, form({ enabled: "", minutes: "480" }));
    const entries = await db.auditEntry.findMany({ where: { editionId: edition.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((entry) => entry.action)).toEqual(["certificates.updated", "certificates.updated"]);
    expect(entries[0].after).toMatchObject({
      enabled: true,
      minutes: 450,
      signature: { sha256: createHash("sha256").update(JPEG).digest("hex"), bytes: 274 },
    });
    expect(JSON.stringify(entries[0].after)).not.toContain(JPEG.toString("base64").slice(0, 40));
    expect(entries[1]).toMatchObject({
      before: { enabled: true, minutes: 450 },
      after: { enabled: false, minutes: 480 },
    });
  });
});
