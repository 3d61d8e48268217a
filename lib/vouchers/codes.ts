import { randomInt } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The characters of a generated code: upper-case letters and digits without the ones read or typed as another
 * (0/O, 1/I/L), so a code read aloud or copied from a printed badge still matches.
 */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Characters of a generated code after its prefix, in groups of CODE_GROUP: 31^8, about 8.5 × 10^11 codes. */
export const GENERATED_LENGTH = 8;
const CODE_GROUP = 4;
/** The longest code key (the code without hyphens), as the Voucher table's CHECK allows. */
export const MAX_CODE_KEY = 40;
export const MIN_CODE_KEY = 4;
/** The longest code as shown, hyphens included (Voucher.code). */
export const MAX_CODE = 48;
/** Generated codes fit in a sponsor's spreadsheet without paging; larger batches are several batches. */
export const MAX_BATCH = 1000;

// Separators people type or paste between groups: spaces of any kind, hyphens and dashes, dots, underscores.
const SEPARATORS = /[\s\u00ad\u2010-\u2015\u2212._-]+/gu;

/**
 * A code as a person typed or pasted it, as stored: NFKC (full-width letters become ASCII), upper-case, the groups
 * joined by single hyphens, nothing before or after. Null when anything but letters, digits and separators is left.
 */
export function normaliseCode(typed: string): string | null {
  const groups = typed.normalize("NFKC").toUpperCase().split(SEPARATORS).filter(Boolean);
  const code = groups.join("-");
  if (!/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(code)) return null;
  return code;
}

/** What a typed code is looked up by: its letters and digits only, so "acme k7qx-m3pa" finds ACME-K7QX-M3PA. */
export function codeKey(typed: string): string | null {
  const code = normaliseCode(typed);
  return code === null ? null : code.replaceAll("-", "");
}

function randomGroups(): string {
  let code = "";
  for (let i = 0; i < GENERATED_LENGTH; i += 1) {
    if (i > 0 && i % CODE_GROUP === 0) code += "-";
    code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  }
  return code;
}

/** A fresh code, crypto-random, grouped for reading, after the prefix (already normalised) if any: ACME-K7QX-M3PA. */
export function randomCode(prefix: string | null): string {
  return prefix ? `${prefix}-${randomGroups()}` : randomGroups();
}

type Reader = Pick<Db | Prisma.TransactionClient, "voucher">;

/**
 * `count` codes no voucher of the edition has, nor each other: drawn at random, then drawn again for the few (almost
 * always none) that an existing code's key already has. A concurrent batch could still draw the same code between
 * this check and its insert: the unique index on (editionId, codeKey) refuses it, and the caller tries again.
 * `draw` makes one code (tests give a sequence that collides).
 */
export async function generateUniqueCodes(
  db: Reader,
  editionId: string,
  { count, prefix }: { count: number; prefix: string | null },
  draw: (prefix: string | null) => string = randomCode,
): Promise<string[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH) throw new RangeError(`count out of range: ${count}`);
  const codes = new Map<string, string>();
  for (let round = 0; codes.size < count; round += 1) {
    if (round === 20) throw new Error("generateUniqueCodes: the code space looks exhausted");
    // A code drawn twice in one round is kept once; the next round draws what is still missing.
    const drawn = new Map<string, string>();
    for (let missing = count - codes.size; missing > 0; missing -= 1) {
      const code = draw(prefix);
      const key = code.replaceAll("-", "");
      if (!codes.has(key)) drawn.set(key, code);
    }
    const taken = await db.voucher.findMany({
      where: { editionId, codeKey: { in: [...drawn.keys()] } },
      select: { codeKey: true },
    });
    for (const { codeKey: key } of taken) drawn.delete(key);
    for (const [key, code] of drawn) codes.set(key, code);
  }
  return [...codes.values()];
}
