import { createHash } from "node:crypto";
import { z } from "zod";
import { changedFields, recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { checkbox, fieldErrorsOf, optionalLine, optionalWholeNumber, type FieldErrors } from "@/lib/forms/fields";
import type { CertificateSettings } from "@/lib/generated/prisma/client";

export const MIN_MINUTES = 15;
export const MAX_MINUTES = 7 * 24 * 60;
export const MAX_SIGNATURE_BYTES = 200 * 1024;
export const MAX_SIGNATURE_SIZE = { width: 1200, height: 600 };

export type SignatureImage = { type: "image/png" | "image/jpeg"; width: number; height: number };

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// JPEG's start-of-frame markers (baseline, progressive, lossless...): each carries the image's height and width.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * What an uploaded file is, by its bytes (the name and the browser's type say what the sender claims): a PNG by its
 * signature and IHDR chunk, a JPEG by its SOI and first frame header; anything else is null.
 */
export function signatureImage(bytes: Uint8Array): SignatureImage | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_MAGIC) && data.toString("latin1", 12, 16) === "IHDR") {
    return { type: "image/png", width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1];
    // Fill bytes, and the markers that stand alone without a length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    if (SOF.has(marker)) {
      if (at + 9 > data.length) return null;
      return { type: "image/jpeg", height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    if (marker === 0xda || marker === 0xd9 || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

type SignatureCheck = { ok: true; image: SignatureImage } | { ok: false; code: string };

/** A signature the PDF can print at its size: a PNG or JPEG of at most 200 KB and 1200 × 600 pixels. */
export function checkSignature(bytes: Uint8Array): SignatureCheck {
  if (bytes.byteLength > MAX_SIGNATURE_BYTES) return { ok: false, code: "signature_too_large" };
  const image = signatureImage(bytes);
  if (!image || image.width === 0 || image.height === 0) return { ok: false, code: "signature_not_image" };
  if (image.width > MAX_SIGNATURE_SIZE.width || image.height > MAX_SIGNATURE_SIZE.height) {
    return { ok: false, code: "signature_too_big" };
  }
  return { ok: true, image };
}

const settingsSchema = z
  .object({
    enabled: checkbox,
    minutes: optionalWholeNumber({ min: MIN_MINUTES, max: MAX_MINUTES }),
    signatoryName: optionalLine(200),
    signatoryTitle: optionalLine(200),
    removeSignature: checkbox,
  })
  .strip();

/** The form's fields, and the uploaded file's bytes when one was chosen (an empty file input sends none). */
export type CertificateSettingsInput = Record<string, unknown> & { signature?: Uint8Array | null };

export type CertificateSettingsChange =
  { ok: true; settings: CertificateSettings } | { ok: false; reason: "invalid"; fieldErrors: FieldErrors };

const EMPTY = { enabled: false, minutes: null, signatoryName: null, signatoryTitle: null, signature: null };

/** An edition's settings, or the defaults (off) while nobody saved any. */
export async function certificateSettingsOf(db: Db, editionId: string) {
  const row = await db.certificateSettings.findUnique({ where: { editionId } });
  return row ?? { editionId, ...EMPTY, signatureType: null, updatedAt: null };
}

// The audit log keeps what identifies the image, never the image itself.
const snapshot = (
  settings: Pick<CertificateSettings, "enabled" | "minutes" | "signatoryName" | "signatoryTitle"> & {
    signature: Uint8Array | null;
  },
) => ({
  enabled: settings.enabled,
  minutes: settings.minutes,
  signatoryName: settings.signatoryName,
  signatoryTitle: settings.signatoryTitle,
  signature: settings.signature
    ? { sha256: createHash("sha256").update(settings.signature).digest("hex"), bytes: settings.signature.byteLength }
    : null,
});

/**
 * Saves an edition's certificate settings. A new signature replaces the kept one, "remove" drops it, neither keeps
 * it; certificates may be enabled only with a duration, a signatory and a signature. Bad input saves nothing. One
 * audit entry `certificates.updated` per save that changes something.
 */
export async function saveCertificateSettings(
  db: Db,
  actor: AuditActor,
  editionId: string,
  input: CertificateSettingsInput,
): Promise<CertificateSettingsChange> {
  const parsed = settingsSchema.safeParse(input);
  const fieldErrors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const upload = input.signature && input.signature.byteLength > 0 ? input.signature : null;
  const check = upload ? checkSignature(upload) : null;
  if (check && !check.ok) fieldErrors.signature = [check.code];
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid", fieldErrors };
  const form = parsed.data;
  return db.$transaction(async (tx): Promise<CertificateSettingsChange> => {
    // The lock orders two organisers saving at once, so each audit entry's "before" is what it replaced.
    await tx.$queryRaw`SELECT 1 FROM "CertificateSettings" WHERE "editionId" = ${editionId}::uuid FOR UPDATE`;
    const before = await tx.certificateSettings.findUnique({ where: { editionId } });
    const signature =
      upload && check?.ok
        ? { signature: Uint8Array.from(upload), signatureType: check.image.type }
        : form.removeSignature
          ? { signature: null, signatureType: null }
          : { signature: before?.signature ?? null, signatureType: before?.signatureType ?? null };
    if (form.enabled) {
      const missing: FieldErrors = {};
      if (form.minutes === null) missing.minutes = ["required"];
      if (form.signatoryName === null) missing.signatoryName = ["required"];
      if (signature.signature === null) missing.signature = ["required"];
      if (Object.keys(missing).length > 0) return { ok: false, reason: "invalid", fieldErrors: missing };
    }
    const data = {
      enabled: form.enabled,
      minutes: form.minutes,
      signatoryName: form.signatoryName,
      signatoryTitle: form.signatoryTitle,
      ...signature,
    };
    const settings = await tx.certificateSettings.upsert({
      where: { editionId },
      create: { editionId, ...data },
      update: data,
    });
    const diff = changedFields(snapshot(before ?? EMPTY), snapshot(settings));
    if (Object.keys(diff.after).length > 0) {
      await recordAudit(tx, actor, {
        editionId,
        action: "certificates.updated",
        subjectType: "edition",
        subjectId: editionId,
        ...diff,
      });
    }
    return { ok: true, settings };
  });
}
