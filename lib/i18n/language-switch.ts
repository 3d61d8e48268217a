/**
 * Where the language switch goes back to: the Referer's back-office or scanner page if it is one
 * of ours, else the back office's home. Only the path is kept; the address is always APP_URL's,
 * never the server's own (which is localhost behind a proxy). A malformed Referer is no page.
 */
export function languageSwitchTarget(referer: string | null, appUrl: string): URL {
  const home = new URL("/admin", appUrl);
  const back = referer && URL.canParse(referer) ? new URL(referer) : null;
  if (!back || back.host !== home.host || !/^\/(admin|checkin)(\/|$)/.test(back.pathname)) return home;
  return new URL(`${back.pathname}${back.search}`, appUrl);
}
