/** Where to go after signing in (or switching account): only a back-office or scanner path, never another site. */
export function safeCallback(value: unknown): string {
  const path = typeof value === "string" ? value : "";
  return /^\/(admin|checkin)(\/|$|\?)/.test(path) ? path : "/admin";
}

/** Whether the sign-in was asked for by the door's scanner, so the page speaks to door staff. */
export const isCheckInCallback = (path: string) => /^\/checkin(\/|$|\?)/.test(path);
