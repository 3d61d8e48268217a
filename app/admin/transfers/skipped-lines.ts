import type { SkippedLine } from "@/lib/payments/bank-statement";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Why a statement line could not be read, in the organiser's words (a transferAdmin translator). */
export function skippedReason(t: Translate, skipped: SkippedLine): string {
  return t(`skipped.${skipped.reason}`, { value: skipped.value || t("skipped.nothing") });
}

// A refusal's message lists the first few; the file is to be exported again anyway.
const LISTED = 5;

/** "line 2: date not understood (11/26/2026): …; line 3: …", for a refusal's message. */
export function skippedSummary(t: Translate, skipped: SkippedLine[]): string {
  const listed = skipped
    .slice(0, LISTED)
    .map((line) =>
      line.line === null
        ? t("skipped.lineUnknown", { why: skippedReason(t, line) })
        : t("skipped.line", { line: String(line.line), why: skippedReason(t, line) }),
    );
  if (skipped.length > LISTED) listed.push(t("skipped.more", { count: skipped.length - LISTED }));
  return listed.join("; ");
}
