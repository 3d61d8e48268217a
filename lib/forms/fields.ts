import { z } from "zod";
import { zonedLocalToUtc } from "@/lib/time/zoned";

// Zod messages are error codes; the "fieldError" catalogue turns them into sentences.
// A single line holds no control character (C0, DEL, C1) and no line or paragraph separator.
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
export const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
// Invisible characters that change how a name reads without showing themselves: bidi marks,
// embeddings, overrides and isolates ("\u202egnp.exe" shows as "exe.png"), zero-width spaces and
// joiners, the word joiner and a stray byte-order mark. The price: names in scripts that need
// ZWNJ/ZWJ (Persian, some Indic spellings) are typed without them.
export const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Text Postgres stores as it was sent: no NUL (Postgres refuses it in text), no lone surrogate,
 * and no U+FFFD, which is what an undecodable or overlong UTF-8 sequence (%C0%AF) becomes.
 */
export function isSafeText(text: string): boolean {
  return text.isWellFormed() && !/[\u0000\ufffd]/.test(text);
}

/** One line of text: NFC (so "é" typed two ways is one name), without controls or invisible characters. */
function singleLine(text: z.ZodString) {
  return text
    .normalize("NFC")
    .regex(SINGLE_LINE, { error: "invalid_characters", abort: true })
    .refine((value) => !INVISIBLE.test(value), { error: "invisible_characters" })
    .refine(isSafeText, { error: "invalid_characters" });
}

export const missingOr = (code: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "required" : code;

export function requiredLine(max: number) {
  const text = z
    .string({ error: missingOr("invalid_type") })
    .trim()
    .min(1, { error: "required" })
    .max(max, { error: "too_long" });
  return singleLine(text);
}

// A name@domain.tld address whose parts may be in any script (josé@exemple.fr, 用户@例子.中国):
// nodemailer asks for SMTPUTF8 when an address needs it, and servers that speak it deliver them.
// Dots only between characters, a domain of labels that do not start with a hyphen, a TLD of letters.
const ADDRESS_CHARACTER = String.raw`[\p{L}\p{M}\p{N}_'+\-]`;
const LOCAL_PART = String.raw`(?:${ADDRESS_CHARACTER}+\.)*${ADDRESS_CHARACTER}+`;
const DOMAIN = String.raw`(?:[\p{L}\p{N}][\p{L}\p{M}\p{N}\-]*\.)+[\p{L}\p{M}]{2,}`;
const EMAIL_ADDRESS = new RegExp(`^${LOCAL_PART}@${DOMAIN}$`, "u");

/** The one email address field: trimmed, NFC, lower-case, at most 254 characters, internationalised allowed. */
export const emailAddress = requiredLine(254).toLowerCase().regex(EMAIL_ADDRESS, { error: "invalid_email" });

export function optionalLine(max: number) {
  const text = z.string({ error: "invalid_type" }).trim().max(max, { error: "too_long" });
  return singleLine(text)
    .nullish()
    .transform((value) => value || null);
}

export function optionalText(max: number) {
  return z
    .string({ error: "invalid_type" })
    .trim()
    .max(max, { error: "too_long" })
    .regex(MULTI_LINE, { error: "invalid_characters" })
    .nullish()
    .transform((value) => value ?? "");
}

/** A whole number typed in a form field ("300"); empty is "required". */
export function wholeNumber({ min, max, outOfRange }: { min: number; max: number; outOfRange?: string }) {
  return z
    .string({ error: missingOr("invalid_number") })
    .trim()
    .min(1, { error: "required" })
    .regex(/^-?\d+$/, { error: "invalid_number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: outOfRange ?? "too_small" })
        .max(max, { error: outOfRange ?? "too_large" }),
    );
}

/** Like wholeNumber, but empty means "no value" (null). */
export function optionalWholeNumber(bounds: { min: number; max: number }) {
  return z
    .union([z.literal(""), wholeNumber(bounds)])
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value));
}

/** An amount typed in currency units ("49", "49.50" or "49,50") as integer cents. */
export const amountInCents = z
  .string({ error: missingOr("invalid_amount") })
  .trim()
  .min(1, { error: "required" })
  .regex(/^\d{1,6}([.,]\d{1,2})?$/, { error: "invalid_amount" })
  .transform((value) => {
    const [units, fraction = ""] = value.replace(",", ".").split(".");
    return Number(units) * 100 + Number(fraction.padEnd(2, "0"));
  });

/** An HTML checkbox: "on" when ticked, absent otherwise. */
export const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")], { error: "invalid_type" })
  .optional()
  .transform((value) => value === "on" || value === "true");

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A datetime-local value ("2027-05-20T09:00"), checked for shape; see zonedTimes. */
export const localDateTime = z
  .string({ error: missingOr("invalid_date") })
  .trim()
  .min(1, { error: "required" })
  .regex(LOCAL_DATE_TIME, { error: "invalid_date" });
export const optionalLocalDateTime = z
  .union([z.literal(""), localDateTime])
  .optional()
  .transform((value) => value || null);

/**
 * Turns the named wall-clock fields of a parsed form into UTC instants in `timeZone`, reporting a
 * time that does not exist there (a spring-forward gap) as a field error.
 */
export function zonedTimes<K extends string>(
  values: Record<K, string | null>,
  timeZone: string,
  context: z.RefinementCtx,
): Record<K, Date | null> {
  const result = {} as Record<K, Date | null>;
  for (const key of Object.keys(values) as K[]) {
    const local = values[key];
    const instant = local === null ? null : zonedLocalToUtc(local, timeZone);
    if (local !== null && instant === null) context.addIssue({ code: "custom", path: [key], message: "invalid_date" });
    result[key] = instant;
  }
  return result;
}

export type FieldErrors = Record<string, string[]>;

export function fieldErrorsOf(error: z.ZodError, prefix: string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)].join(".") || "form";
    (errors[path] ??= []).push(issue.message);
  }
  return errors;
}

/**
 * The errors of a form checked in parts (the request, then the edition's answers): each failed
 * parse's errors under its own prefix, in one map.
 */
export function fieldErrorsOfEach(...parts: [result: z.ZodSafeParseResult<unknown>, prefix?: string[]][]): FieldErrors {
  const errors: FieldErrors = {};
  for (const [result, prefix] of parts) if (!result.success) Object.assign(errors, fieldErrorsOf(result.error, prefix));
  return errors;
}
