/**
 * Stripe's API takes application/x-www-form-urlencoded bodies with bracketed keys
 * (line_items[0][price_data][currency]=eur); this turns them back into nested objects and arrays.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      if (last) {
        node[segment] = value;
        return;
      }
      node[segment] ??= /^\d+$/.test(path[index + 1]) ? [] : {};
      node = node[segment] as Record<string, unknown>;
    });
  }
  return root;
}
