import { htmlToPlainText, MARKDOWN_STYLES, renderMarkdown } from "./markdown";

/**
 * One email's layout, for the clients people read mail in (Outlook's Word engine, Gmail's clipping, phones): tables
 * with role="presentation", every style inline (no <style>, no class, no flex, grid or position), the system's fonts,
 * no remote image, a fluid 600 px column. Each block gives its HTML and its text, so the text part says everything
 * the HTML says.
 */
export type EmailBlock = { html: string; text: string };

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = "#1f2328";
// #5b6270 on white is 6.1:1, on the page's grey 5.6:1: small print stays readable (WCAG AA asks 4.5:1).
const MUTED = "#5b6270";
const PAGE = "#f4f5f7";
const BUTTON = "#0b5cad";
// A long address or word breaks instead of widening the column past a phone's screen.
const wrap = "overflow-wrap:anywhere;word-break:break-word";

/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An organiser's (or a default's) Markdown, its placeholders already replaced (placeholders.ts). */
export function markdownBlock(markdown: string): EmailBlock {
  const html = renderMarkdown(markdown);
  return { html, text: htmlToPlainText(html) };
}

/**
 * The app's own wording (a kind's fixed block), paragraph by paragraph, as text: never read as Markdown. The text
 * part keeps each paragraph on one line, as the app's emails always wrote them (mail clients wrap long lines).
 */
export function textBlock(paragraphs: string[]): EmailBlock {
  const html = paragraphs.map((text) => `<p style="${MARKDOWN_STYLES.p}">${escapeHtml(text)}</p>`).join("");
  return { html, text: paragraphs.join("\n\n") };
}

/**
 * A "bulletproof" button: a table cell with its background colour holds the link, padded inside the link so the
 * whole of its 48 px is clickable, in every client. Its text: the label and the address.
 */
export function buttonBlock(label: string, href: string): EmailBlock {
  const link =
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 20px;font-family:${FONT};` +
    `font-size:16px;line-height:24px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:8px;${wrap}">` +
    `${escapeHtml(label)}</a>`;
  const html =
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>` +
    `<td bgcolor="${BUTTON}" style="background-color:${BUTTON};border-radius:8px">${link}</td></tr></table>`;
  return { html, text: htmlToPlainText(`<p><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`) };
}

/** Labelled values, each label on its own line above its value: one column at every width. */
export function detailsBlock(rows: { label: string; value: string }[]): EmailBlock {
  const html = rows
    .map(
      ({ label, value }) =>
        `<p style="margin:0 0 12px;font-size:16px;line-height:1.5;${wrap}">` +
        `<span style="color:${MUTED};font-size:14px">${escapeHtml(label)}</span><br />` +
        `<strong>${escapeHtml(value)}</strong></p>`,
    )
    .join("");
  return { html, text: htmlToPlainText(html) };
}

/** A ticket's QR code (an attachment named by its content id) with its holder and type. */
export function ticketBlock(ticket: { qrCid: string; alt: string; holder: string; type: string }): EmailBlock {
  const html =
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>` +
    `<td style="padding:0 16px 0 0;vertical-align:top"><img src="cid:${escapeHtml(ticket.qrCid)}" width="160" ` +
    `height="160" alt="${escapeHtml(ticket.alt)}" style="display:block;width:160px;height:160px;border:0" /></td>` +
    `<td style="vertical-align:top;font-size:16px;line-height:1.5;${wrap}"><strong>${escapeHtml(ticket.holder)}` +
    `</strong><br />${escapeHtml(ticket.type)}</td></tr></table>`;
  return { html, text: htmlToPlainText(`<p>${escapeHtml(ticket.holder)}<br />${escapeHtml(ticket.type)}</p>`) };
}

/** Why the person receives the email and, for a message they may refuse, the link that stops them. */
export function footerBlock(footer: { reason: string; optOut?: { label: string; href: string } }): EmailBlock {
  const style = `color:${MUTED};font-size:13px;line-height:1.5;margin:0 0 8px;${wrap}`;
  const optOut = footer.optOut
    ? `<p style="${style}"><a href="${escapeHtml(footer.optOut.href)}" style="${MARKDOWN_STYLES.a};color:${MUTED}">` +
      `${escapeHtml(footer.optOut.label)}</a></p>`
    : "";
  const html = `<p style="${style}">${escapeHtml(footer.reason)}</p>${optOut}`;
  return { html, text: htmlToPlainText(html) };
}

/** The whole email: its blocks in the white column, the footer below it on the page's grey. */
export function emailLayout(email: {
  locale: "fr" | "en";
  title: string;
  /** What the inbox shows after the subject; hidden in the email itself. */
  preheader: string;
  blocks: EmailBlock[];
  footer: EmailBlock;
}): { html: string; text: string } {
  // The column's edges are 24 px; between blocks, 8 px each side (a paragraph's own 16 px margin adds to it), so the
  // organisers' message and the fixed block read as one email rather than as cards.
  const last = email.blocks.length - 1;
  const rows = email.blocks
    .map((block, index) => {
      const padding = `padding:${index === 0 ? 24 : 8}px 24px ${index === last ? 24 : 8}px`;
      return `<tr><td style="${padding};font-family:${FONT};font-size:16px;color:${INK}">${block.html}</td></tr>`;
    })
    .join("");
  const html =
    `<!doctype html><html lang="${email.locale}"><head><meta charset="utf-8" />` +
    `<meta name="viewport" content="width=device-width, initial-scale=1" />` +
    `<meta name="color-scheme" content="light" /><meta name="supported-color-schemes" content="light" />` +
    `<title>${escapeHtml(email.title)}</title></head>` +
    `<body style="margin:0;padding:0;background-color:${PAGE};color:${INK}">` +
    `<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:${PAGE};font-size:1px;line-height:1px">` +
    `${escapeHtml(email.preheader)}</div>` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ` +
    `style="width:100%;background-color:${PAGE}"><tr><td align="center" style="padding:16px 8px">` +
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" ` +
    `style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px">${rows}</table>` +
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" ` +
    `style="width:100%;max-width:600px"><tr><td style="padding:16px 24px;font-family:${FONT}">` +
    `${email.footer.html}</td></tr></table>` +
    `</td></tr></table></body></html>`;
  const text = [...email.blocks, email.footer].map((block) => block.text.trim()).join("\n\n") + "\n";
  return { html, text };
}
