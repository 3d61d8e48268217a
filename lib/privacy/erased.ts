/** The address an anonymised row holds (lib/privacy/anonymise.ts writes `erased+<row id>@invalid`). */
const ERASED_ADDRESS = /^erased\+[0-9a-f-]+@invalid$/i;

/**
 * Whether a ticket, an order's buyer or an email was erased (an erasure or the retention period): its `erasedAt` when
 * the caller has it, else the placeholder address it holds. Pages show "Erased on request" for such a person rather
 * than the anonymised "— —" and the placeholder, which read as a bug.
 */
export function isErased(record: { erasedAt?: Date | null; email?: string | null }): boolean {
  return Boolean(record.erasedAt) || (record.email != null && ERASED_ADDRESS.test(record.email));
}
