/**
 * The Content-Security-Policy of every page, with this response's nonce. Next.js puts the nonce on
 * its own scripts when it finds this policy in the request (see proxy.ts); 'strict-dynamic' lets
 * those scripts load the app's chunks, so no other script runs, inline or injected. Styles stay
 * 'unsafe-inline': React style attributes and the proof-of-work widget's stylesheet need it, and a
 * style cannot run code. Workers from blob: are the widget's; the scanner's service worker is 'self'.
 */
export function pageContentSecurityPolicy(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code to show its error overlay; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'self' blob: mediastream:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HSTS only where the app is served over https (APP_URL): over http it would be ignored or wrong. */
export function strictTransportSecurity(appUrl: string | undefined): string | null {
  return appUrl?.startsWith("https://") ? "max-age=31536000; includeSubDomains" : null;
}

/**
 * Headers every response carries, set by next.config.ts (so API routes, files and Next's own
 * assets have them too; pages get their full policy from proxy.ts). Private links carry a token in
 * the address, so no address is sent to another site as a Referer.
 */
export const EVERY_RESPONSE_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=(), payment=()" },
];

/** API answers are data, never documents to run: nothing may load from them. */
export const API_RESPONSE_HEADERS = [
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
];
