import { electronicFormatIBAN, friendlyFormatIBAN, validateBIC, validateIBAN, ValidationErrorsIBAN } from "ibantools";

/**
 * Checks of the identifiers an invoice carries: SIREN, SIRET, intra-EU VAT numbers, IBAN and BIC. Each check
 * takes what a person typed (spaces, dots and dashes allowed, any case) and answers the normalised form or why it
 * is wrong, and never throws: a form shows the reason next to the field.
 *
 * A VAT number is only checked offline (format and checksum): VIES, the EU's register of live numbers, cannot be
 * reached from this installation, so a number that passes may still be unknown or revoked there.
 */
export type IdentifierCheck =
  | { ok: true; value: string }
  | { ok: false; reason: "empty" | "invalid_format" | "invalid_checksum" | "unknown_country" };

const valid = (value: string): IdentifierCheck => ({ ok: true, value });
const wrong = (reason: Exclude<IdentifierCheck, { ok: true }>["reason"]): IdentifierCheck => ({ ok: false, reason });

// People copy numbers as printed: "732 829 320", "FR 40-303265045", "fr76 3000 ...".
const compact = (typed: string) => typed.replace(/[\s.\-/]/g, "").toUpperCase();

const digitsOf = (text: string) => [...text].map(Number);

/** The Luhn check (ISO/IEC 7812): every second digit from the right doubled, the sum a multiple of 10. */
function passesLuhn(digits: string): boolean {
  const sum = digitsOf(digits)
    .reverse()
    .reduce((total, digit, index) => {
      const weighed = index % 2 === 1 ? digit * 2 : digit;
      return total + (weighed > 9 ? weighed - 9 : weighed);
    }, 0);
  return sum % 10 === 0;
}

/** A SIREN: 9 digits, the last one a Luhn key. */
export function checkSiren(typed: string): IdentifierCheck {
  const siren = compact(typed);
  if (siren === "") return wrong("empty");
  if (!/^\d{9}$/.test(siren)) return wrong("invalid_format");
  return passesLuhn(siren) ? valid(siren) : wrong("invalid_checksum");
}

// La Poste's establishments outnumber what a Luhn key on 5 digits can tell apart: INSEE checks their SIRETs by
// a digit sum divisible by 5 instead (https://www.sirene.fr, "numéro SIRET de La Poste").
const LA_POSTE_SIREN = "356000000";

/** A SIRET: the SIREN and a 5-digit establishment number, 14 digits with a Luhn key (La Poste's: digit sum / 5). */
export function checkSiret(typed: string): IdentifierCheck {
  const siret = compact(typed);
  if (siret === "") return wrong("empty");
  if (!/^\d{14}$/.test(siret)) return wrong("invalid_format");
  // Its head office (00048) keeps a Luhn key: either rule admits.
  const laPoste = siret.startsWith(LA_POSTE_SIREN) && digitsOf(siret).reduce((a, b) => a + b, 0) % 5 === 0;
  if (laPoste) return valid(siret);
  return passesLuhn(siret) && passesLuhn(siret.slice(0, 9)) ? valid(siret) : wrong("invalid_checksum");
}

/** The two-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): string {
  return String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, "0");
}

// Weighted sums, the shape of most national checksums.
const weighted = (digits: string, weights: number[]) =>
  weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0);

/** ISO 7064 MOD 11,10 (Germany, Croatia): the check digit of the first n - 1 digits. */
function passesMod11_10(digits: string): boolean {
  let product = 10;
  for (const digit of digitsOf(digits.slice(0, -1))) {
    const sum = (digit + product) % 10 || 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10 === Number(digits.at(-1));
}

const mod97Of = (digits: string) => [...digits].reduce((rest, digit) => (rest * 10 + Number(digit)) % 97, 0);

function passesFrance(body: string): boolean {
  const key = body.slice(0, 2);
  const siren = body.slice(2);
  if (!passesLuhn(siren)) return false;
  // Keys with letters are given to entities without a SIREN-derived key; their algorithm is not published.
  return /^\d{2}$/.test(key) ? key === frenchVatKey(siren) : true;
}

function passesAustria(body: string): boolean {
  const digits = body.slice(1);
  const sum = digitsOf(digits.slice(0, 7)).reduce((total, digit, index) => {
    if (index % 2 === 0) return total + digit;
    const doubled = digit * 2;
    return total + Math.floor(doubled / 10) + (doubled % 10);
  }, 0);
  return (10 - ((sum + 4) % 10)) % 10 === Number(digits[7]);
}

function passesBelgium(body: string): boolean {
  return 97 - (Number(body.slice(0, 8)) % 97) === Number(body.slice(8));
}

function passesDenmark(body: string): boolean {
  return weighted(body, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;
}

function passesSpain(body: string): boolean {
  const first = body[0];
  const last = body[8];
  const middle = body.slice(1, 8);
  const letters = "TRWAGMYFPDXBNJZSQVHLCKE";
  // A person's NIF (DNI or NIE): a letter from the number mod 23.
  if (/^[0-9XYZ]$/.test(first)) {
    const number = Number(`${"XYZ".indexOf(first) >= 0 ? "XYZ".indexOf(first) : first}${middle}`);
    return letters[number % 23] === last;
  }
  if (/^[KLM]$/.test(first)) return letters[Number(middle) % 23] === last;
  // A legal entity's CIF: a Luhn-like control digit, printed as a digit or as a letter (J=0, A=1 … I=9).
  const sum = digitsOf(middle).reduce((total, digit, index) => {
    if (index % 2 === 1) return total + digit;
    const doubled = digit * 2;
    return total + Math.floor(doubled / 10) + (doubled % 10);
  }, 0);
  const control = (10 - (sum % 10)) % 10;
  return last === String(control) || last === "JABCDEFGHI"[control];
}

function passesFinland(body: string): boolean {
  const rest = weighted(body, [7, 9, 10, 5, 8, 4, 2]) % 11;
  return rest !== 1 && (rest === 0 ? 0 : 11 - rest) === Number(body[7]);
}

function passesIreland(body: string): boolean {
  // The old format (a digit, a letter or + or *, five digits, a letter) is the new one reordered.
  const number = /^\d[A-Z+*]\d{5}[A-Z]$/.test(body) ? `0${body.slice(2, 7)}${body[0]}${body[7]}` : body;
  const extra = number.length === 9 && number[8] !== "W" ? (number.charCodeAt(8) - 64) * 9 : 0;
  const sum = weighted(number, [8, 7, 6, 5, 4, 3, 2]) + extra;
  return "WABCDEFGHIJKLMNOPQRSTUV"[sum % 23] === number[7];
}

function passesNetherlands(body: string): boolean {
  const digits = body.slice(0, 9);
  const elevenTest = weighted(digits, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
  if (elevenTest < 10 && elevenTest === Number(digits[8])) return true;
  // Sole traders' numbers since 2020: "NL" + the number, letters as 10…35, is 1 mod 97.
  const letters = (text: string) => [...text].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join("");
  return mod97Of(letters(`NL${body}`)) === 1;
}

function passesPoland(body: string): boolean {
  const rest = weighted(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
  return rest !== 10 && rest === Number(body[9]);
}

function passesPortugal(body: string): boolean {
  const rest = 11 - (weighted(body, [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  return (rest >= 10 ? 0 : rest) === Number(body[8]);
}

function passesLuxembourg(body: string): boolean {
  return Number(body.slice(0, 6)) % 89 === Number(body.slice(6));
}

function passesItaly(body: string): boolean {
  return passesLuhn(body);
}

function passesSweden(body: string): boolean {
  return passesLuhn(body.slice(0, 10));
}

/**
 * The shape of each member state's number after its prefix (as VIES lists them), and its checksum where one is
 * published: FR, DE, AT, BE, DK, ES, FI, HR, IE, IT, LU, NL, PL, PT, SE. Others (BG, CY, CZ, EE, EL, HU, LT, LV,
 * MT, RO, SI, SK, and XI for Northern Ireland) are checked by format only. Greece's prefix is EL, not GR.
 */
const EU_VAT: Record<string, { format: RegExp; passes?: (body: string) => boolean }> = {
  AT: { format: /^U\d{8}$/, passes: passesAustria },
  BE: { format: /^[01]\d{9}$/, passes: passesBelgium },
  BG: { format: /^\d{9,10}$/ },
  CY: { format: /^\d{8}[A-Z]$/ },
  CZ: { format: /^\d{8,10}$/ },
  DE: { format: /^\d{9}$/, passes: passesMod11_10 },
  DK: { format: /^\d{8}$/, passes: passesDenmark },
  EE: { format: /^\d{9}$/ },
  EL: { format: /^\d{9}$/ },
  ES: { format: /^[0-9A-Z]\d{7}[0-9A-Z]$/, passes: passesSpain },
  FI: { format: /^\d{8}$/, passes: passesFinland },
  FR: { format: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, passes: passesFrance },
  HR: { format: /^\d{11}$/, passes: passesMod11_10 },
  HU: { format: /^\d{8}$/ },
  IE: { format: /^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, passes: passesIreland },
  IT: { format: /^\d{11}$/, passes: passesItaly },
  LT: { format: /^(\d{9}|\d{12})$/ },
  LU: { format: /^\d{8}$/, passes: passesLuxembourg },
  LV: { format: /^\d{11}$/ },
  MT: { format: /^\d{8}$/ },
  NL: { format: /^\d{9}B\d{2}$/, passes: passesNetherlands },
  PL: { format: /^\d{10}$/, passes: passesPoland },
  PT: { format: /^\d{9}$/, passes: passesPortugal },
  RO: { format: /^[1-9]\d{1,9}$/ },
  SE: { format: /^\d{10}01$/, passes: passesSweden },
  SI: { format: /^[1-9]\d{7}$/ },
  SK: { format: /^[1-9]\d{9}$/ },
  XI: { format: /^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/ },
};

/** An intra-EU VAT number: the member state's prefix, then its number in that state's format and checksum. */
export function checkVatNumber(typed: string): IdentifierCheck {
  const number = compact(typed).replace(/^GR/, "EL");
  if (number === "") return wrong("empty");
  const rule = EU_VAT[number.slice(0, 2)];
  if (!rule) return /^[A-Z]{2}/.test(number) ? wrong("unknown_country") : wrong("invalid_format");
  const body = number.slice(2);
  if (!rule.format.test(body)) return wrong("invalid_format");
  return !rule.passes || rule.passes(body) ? valid(number) : wrong("invalid_checksum");
}

/** An IBAN (ibantools: the country's length and format, the ISO 7064 key, national keys where it knows them). */
export function checkIban(typed: string): IdentifierCheck {
  const iban = electronicFormatIBAN(typed) ?? "";
  if (iban === "") return wrong("empty");
  const { valid: ok, errorCodes } = validateIBAN(iban);
  if (ok) return valid(iban);
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry)) return wrong("unknown_country");
  // A key computed on the wrong digits says little: the shape is what to fix first.
  const shape = [ValidationErrorsIBAN.WrongBBANLength, ValidationErrorsIBAN.WrongBBANFormat];
  return errorCodes.some((code) => shape.includes(code)) ? wrong("invalid_format") : wrong("invalid_checksum");
}

/** A BIC (SWIFT code): 8 or 11 characters, its country a known one. */
export function checkBic(typed: string): IdentifierCheck {
  const bic = compact(typed);
  if (bic === "") return wrong("empty");
  return validateBIC(bic).valid ? valid(bic) : wrong("invalid_format");
}

/** An IBAN as people read and copy it: in groups of four ("FR76 3000 6000 …"). */
export const printedIban = (iban: string) => friendlyFormatIBAN(iban) ?? iban;
