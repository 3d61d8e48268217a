// Every URL the app emits, built in one place: a page that moves changes here only. Segments that
// come from data (slugs, tokens) are percent-encoded; paths are relative, `absoluteUrl` anchors one
// on the app's public URL for emails, files and API answers.

type Query = Record<string, string | undefined>;

function withQuery(path: string, query: Query = {}, hash?: string): string {
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return `${path}${search ? `?${search}` : ""}${hash ? `#${hash}` : ""}`;
}

const segment = encodeURIComponent;

export const homePath = (locale: string) => `/${locale}`;

/** The privacy notice: linked from the footer and from under every public form that asks for personal data. */
export const privacyPath = (locale: string) => `/${locale}/privacy`;

/** The download of everything held under an address, from the signed link of a "my data" email. */
export const privacyExportPath = (locale: string, signed: string) => `/${locale}/privacy/export/${segment(signed)}`;

/** Where an expired or altered export link lands: a page in the person's language saying to ask again. */
export const privacyExportExpiredPath = (locale: string) => `/${locale}/privacy/export/expired`;

/** The "Your data" section of an order's or a ticket's private page, which its buttons come back to. */
export const DATA_RIGHTS_ANCHOR = "your-data";

/** An edition's public page; `hash` names a section on it (the "lost ticket" form). */
export const editionPath = (locale: string, slug: string, hash?: string) =>
  withQuery(`/${locale}/editions/${segment(slug)}`, {}, hash);

/** The link an organiser shares with a code: the edition's page with the code filled in. */
export const editionWithCodePath = (locale: string, slug: string, code: string) =>
  withQuery(`/${locale}/editions/${segment(slug)}`, { code });

export const registerPath = (locale: string, slug: string, query?: Query) =>
  withQuery(`/${locale}/editions/${segment(slug)}/register`, query);

/** The edition's waiting room, while its queue is on; `join` takes a place and comes back to it. */
export const queuePath = (locale: string, slug: string, query?: Query) =>
  withQuery(`/${locale}/editions/${segment(slug)}/queue`, query);
export const queueJoinPath = (locale: string, slug: string) => `/${locale}/editions/${segment(slug)}/queue/join`;

/** Where a waiting client asks for its place (GET, `?ticket=`). */
export const apiQueuePath = (slug: string, query?: Query) =>
  withQuery(`/api/v1/editions/${segment(slug)}/queue`, query);

/** An attendee's private order page: the token is the secret that opens it. */
export const orderPath = (locale: string, token: string, query?: Query, hash?: string) =>
  withQuery(`/${locale}/orders/${segment(token)}`, query, hash);

export const orderFilePath = (locale: string, token: string, file: "ticket.pdf" | "calendar.ics") =>
  `${orderPath(locale, token)}/${file}`;

/** One of an order's invoices or credit notes, from the buyer's page: its PDF, or `format: "xml"`. */
export const orderInvoicePath = (locale: string, token: string, number: string, format?: "xml") =>
  withQuery(`${orderPath(locale, token)}/invoices/${segment(number)}`, format ? { format } : undefined);

/** A transfer order's quote (pro forma), from the buyer's order page. */
export const orderQuotePath = (locale: string, token: string) => `${orderPath(locale, token)}/quote`;

/**
 * The page a buyer forwards to whoever pays a transfer order (an accounts department): its quote and bank details,
 * or a card payment instead. Its token opens nothing else of the order.
 */
export const payPath = (locale: string, payToken: string, query?: Query) =>
  withQuery(`/${locale}/pay/${segment(payToken)}`, query);
export const payQuotePath = (locale: string, payToken: string) => `${payPath(locale, payToken)}/quote`;

/** One attendee's private page for their own ticket of a group order: its token is the secret that opens it. */
export const ticketPath = (locale: string, token: string, query?: Query, hash?: string) =>
  withQuery(`/${locale}/tickets/${segment(token)}`, query, hash);

export const ticketFilePath = (locale: string, token: string, file: "ticket.pdf" | "calendar.ics") =>
  `${ticketPath(locale, token)}/${file}`;

/** A ticket's certificate of attendance, from its holder's page (404 unless eligible). */
export const ticketCertificatePath = (locale: string, token: string) => `${ticketPath(locale, token)}/certificate.pdf`;

/** The certificate of the order's ticket at `position`, from the buyer's page (404 unless eligible). */
export const orderCertificatePath = (locale: string, token: string, position: number) =>
  withQuery(`${orderPath(locale, token)}/certificate.pdf`, { position: String(position) });

/** A waiting-list entry's private page (position, offer, leave): its token is the secret that opens it. */
export const waitingListPath = (locale: string, token: string) => `/${locale}/waiting-list/${segment(token)}`;

/** The registration page for a waiting-list offer: the entry's token opens the offer's seats. */
export const offerRegisterPath = (locale: string, slug: string, token: string) =>
  registerPath(locale, slug, { offer: token });

/** One-click leave (RFC 8058): the target of the waiting-list emails' List-Unsubscribe header, a POST. */
export const apiWaitingListLeavePath = (token: string) => `/api/v1/waiting-list/${segment(token)}/leave`;

/** An address's email preferences (stop or receive again the organisers' news): its token is the signed hash. */
export const emailPreferencesPath = (locale: string, token: string) => `/${locale}/email-preferences/${segment(token)}`;

/** One-click opt-out (RFC 8058): the target of a non-essential message's List-Unsubscribe header, a POST. */
export const apiEmailOptOutPath = (token: string) => `/api/v1/email-opt-out/${segment(token)}`;

export type AdminEditionTab =
  | "attendees"
  | "ticket-types"
  | "questions"
  | "emails"
  | "settings"
  | "audit"
  | "vouchers"
  | "allocations"
  | "waiting-list"
  | "messages";

/** An edition in the back office: its overview, or one of its tabs. */
export const adminEditionPath = (slug: string, tab?: AdminEditionTab, query?: Query) =>
  withQuery(`/admin/editions/${segment(slug)}${tab ? `/${tab}` : ""}`, query);

/** An edition's codes: their redemption report, and their CSV (`?tag=&lang=`). */
export const adminVoucherReportPath = (slug: string) => `${adminEditionPath(slug, "vouchers")}/report`;
export const adminVoucherExportPath = (slug: string) => `${adminEditionPath(slug, "vouchers")}/export`;

/** A message written to an edition's attendees: its page (`query`: its recipients table's state and page). */
export const adminMessagePath = (slug: string, messageId: string, query?: Query) =>
  withQuery(`${adminEditionPath(slug, "messages")}/${segment(messageId)}`, query);
export const adminMessageEditPath = (slug: string, messageId: string) => `${adminMessagePath(slug, messageId)}/edit`;
/** A new message, its recipients' filter pre-filled (the attendee list's "Write to these attendees"). */
export const adminNewMessagePath = (slug: string, filter: Query = {}) =>
  withQuery(`${adminEditionPath(slug, "messages")}/new`, filter);

/** The edition's editable emails; one of them (a TEMPLATE_KIND) in one language, in its editor. */
export const adminTemplatesPath = (slug: string) => `${adminEditionPath(slug, "emails")}/templates`;
export const adminTemplatePath = (slug: string, kind: string, locale: string, query?: Query) =>
  withQuery(`${adminTemplatesPath(slug)}/${segment(kind)}`, { locale, ...query });

/** An edition's waiting list as a CSV (`?lang=`). */
export const adminWaitingListExportPath = (slug: string, query?: Query) =>
  withQuery(`${adminEditionPath(slug, "waiting-list")}/export`, query);

/** One attendee (a ticket) of an edition in the back office. */
export const adminAttendeePath = (slug: string, ticketId: string, query?: Query) =>
  withQuery(`${adminEditionPath(slug, "attendees")}/${segment(ticketId)}`, query);

/** A sample certificate of an edition with its saved settings, for organisers (404 until they are complete). */
export const adminCertificateSamplePath = (slug: string) =>
  `${adminEditionPath(slug, "settings")}/certificate-sample.pdf`;

/** The saved signature image of an edition's certificates, for organisers; `version` changes with each save. */
export const adminCertificateSignaturePath = (slug: string, version?: number) =>
  withQuery(`${adminEditionPath(slug, "settings")}/signature`, { v: version?.toString() });

/** An attendee's certificate of attendance, for organisers (404 unless eligible). */
export const adminAttendeeCertificatePath = (slug: string, ticketId: string) =>
  `${adminAttendeePath(slug, ticketId)}/certificate.pdf`;

/** One order of an edition in the back office, by its reference: its buyer and every ticket. */
export const adminOrderPath = (slug: string, reference: string, query?: Query) =>
  withQuery(`${adminEditionPath(slug)}/orders/${segment(reference)}`, query);

/** One of an order's invoices or credit notes in the back office: its PDF, or `format: "xml"`. */
export const adminOrderInvoicePath = (slug: string, reference: string, number: string, format?: "xml") =>
  withQuery(`${adminOrderPath(slug, reference)}/invoices/${segment(number)}`, format ? { format } : undefined);

/** Every invoice and credit note, of one edition (`edition`: its slug) or all; and the accountant's CSV of them. */
export const adminInvoicesPath = (query?: Query) => withQuery("/admin/invoices", query);
export const adminInvoiceLedgerPath = (query?: Query) => withQuery("/admin/invoices/export", query);

/** Orders awaiting a bank transfer, all editions, and the bank statements imported to confirm them. */
export const adminTransfersPath = (query?: Query) => withQuery("/admin/transfers", query);
export const adminStatementImportPath = (importId: string) => `/admin/transfers/statements/${segment(importId)}`;

/** The installation's invoicing settings (the organiser's identity, VAT, bank account, terms): admins only. */
export const adminInvoicingPath = "/admin/invoicing";

/** Attendees' data requests (admins): open requests, and any address searched. */
export const adminPrivacyPath = (query?: Query) => withQuery("/admin/privacy", query);
/** The JSON of everything held under an address, for an admin (an access request done). */
export const adminPrivacyExportPath = (email: string) => withQuery("/admin/privacy/export", { email });
/** What the background workers and sweeps of every instance left undone (issue 20): admins only. */
export const adminSystemPath = "/admin/system";

export const checkinPath = (slug: string) => `/checkin/${segment(slug)}`;

/** A path of the app as an absolute URL on its public address (`APP_URL`). */
export const absoluteUrl = (appUrl: string, path: string) => `${appUrl.replace(/\/+$/, "")}${path}`;
