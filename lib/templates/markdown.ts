import { convert } from "html-to-text";
import markdownIt, { type MarkdownIt, type StateCore } from "markdown-it";
import sanitizeHtml from "sanitize-html";

const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

// An organiser's Markdown: no raw HTML (escaped as text), no images (remote content, tracking), no indented code (an
// accidental indent must not turn a paragraph into code, pretix #2397), no tables, no reference definitions.
function organiserMarkdown(): MarkdownIt {
  const md = new markdownIt({ html: false, linkify: true, breaks: true, typographer: false });
  md.disable(["image", "code", "table", "reference"]);
  return md;
}

const md = organiserMarkdown();
md.validateLink = (url) => SAFE_LINK.test(url.trim());
md.core.ruler.push("true_link_text", showTrueLinkTargets);

// The same parser that accepts every link, as written: what validation reads to name the links it refuses.
const anyLink = organiserMarkdown();
anyLink.validateLink = () => true;
anyLink.normalizeLink = (url) => url;

const looksLikeAddress = /^[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}$/i;
const looksLikeUrl = /^([a-z][a-z0-9+.-]*:\/\/|www\.)|^[a-z0-9-]+(\.[a-z0-9-]+)+\.?(:\d+)?(\/|$)/i;

function hostOf(url: string): string | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`).hostname.replace(/^www\./, "");
  } catch {
    return null;
  }
}

/**
 * A link whose text is itself an address or a URL of somewhere else ("https://bank.example" leading elsewhere)
 * shows its real target instead, as pretix's truelink_callback does: no phishing through a message.
 */
function showTrueLinkTargets(state: StateCore) {
  for (const block of state.tokens) {
    const children = block.children ?? [];
    children.forEach((token, index) => {
      if (token.type !== "link_open") return;
      const href = String(token.attrGet("href") ?? "");
      const closing = children.findIndex((next, at) => at > index && next.type === "link_close");
      const inner = children.slice(index + 1, closing);
      if (inner.some((child) => child.type !== "text" && child.type !== "softbreak")) return;
      const shown = inner
        .map((child) => child.content)
        .join("")
        .trim();
      const spoofed = looksLikeAddress.test(shown)
        ? href.toLowerCase() !== `mailto:${shown.toLowerCase()}`
        : looksLikeUrl.test(shown) && hostOf(shown) !== hostOf(href);
      if (!spoofed || inner.length === 0) return;
      inner[0].content = href.replace(/^mailto:/i, "");
      for (const extra of inner.slice(1)) extra.content = "";
    });
  }
}

const WRAP = "overflow-wrap:anywhere;word-break:break-word";
const TEXT = `margin:0 0 16px;font-size:16px;line-height:1.5;${WRAP}`;
/** The inline style of each tag an organiser's Markdown may produce: emails get no style sheet (layout.ts). */
export const MARKDOWN_STYLES: Record<string, string> = {
  p: TEXT,
  h2: "margin:24px 0 12px;font-size:20px;line-height:1.3;font-weight:bold",
  h3: "margin:20px 0 8px;font-size:17px;line-height:1.3;font-weight:bold",
  ul: "margin:0 0 16px;padding-left:24px",
  ol: "margin:0 0 16px;padding-left:24px",
  li: `margin:0 0 4px;font-size:16px;line-height:1.5;${WRAP}`,
  blockquote: "margin:0 0 16px;padding:0 0 0 12px;border-left:4px solid #c3c8d0;color:#3d4451",
  hr: "border:0;border-top:1px solid #c3c8d0;margin:24px 0",
  code: "font-family:Menlo,Consolas,monospace;font-size:14px;background-color:#eef0f3;padding:1px 4px",
  a: `color:#0b5cad;text-decoration:underline;${WRAP}`,
};

const styled =
  (tagName: string): sanitizeHtml.Transformer =>
  (_name, attribs) => ({
    tagName,
    attribs: { ...attribs, ...(MARKDOWN_STYLES[tagName] && { style: MARKDOWN_STYLES[tagName] }) },
  });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "em", "s", "a", "ul", "ol", "li", "h2", "h3", "blockquote", "hr", "code"],
  allowedAttributes: { a: ["href", "style"], "*": ["style"] },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  // The styles are ours (transformTags): Markdown without HTML cannot bring one.
  parseStyleAttributes: false,
  transformTags: {
    h1: styled("h2"),
    h2: styled("h2"),
    h3: styled("h3"),
    h4: styled("h3"),
    h5: styled("h3"),
    h6: styled("h3"),
    ...Object.fromEntries(["p", "ul", "ol", "li", "blockquote", "hr", "code", "a"].map((tag) => [tag, styled(tag)])),
  },
};

/**
 * An organiser's Markdown as an HTML fragment for an email: markdown-it without raw HTML, then sanitize-html's
 * allowlist, which is also where every tag gets its inline style. Links: http(s), mailto and tel only.
 */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), SANITIZE);
}

/** The text part of an HTML fragment: wrapped at 78 columns, each link as "text [url]". */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: "a", options: { hideLinkHrefIfSameAsText: true, linkBrackets: ["[", "]"] } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
    ],
  });
}

/** Every link target of a Markdown text as written, safe or not: what validation checks. */
export function linkTargets(source: string): string[] {
  return anyLink
    .parse(source, {})
    .flatMap((token) => token.children ?? [])
    .filter((token) => token.type === "link_open")
    .map((token) => String(token.attrGet("href") ?? ""))
    .filter((href, index, all) => all.indexOf(href) === index);
}
