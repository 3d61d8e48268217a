/** A round step for axis ticks (1, 2 or 5 times a power of ten), about a `parts`-th of the span. */
export function niceStep(span: number, parts: number): number {
  const rough = Math.max(span, 1) / parts;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough) ?? 10 * power;
}

/** Ticks from zero to a round top at or above `max`, so an axis always says what its bars mean. */
export function zeroBasedTicks(max: number, parts = 4): number[] {
  const step = Math.max(1, niceStep(max, parts));
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
}
