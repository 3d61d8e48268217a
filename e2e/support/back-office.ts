import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/prisma/seed";

export type DemoRole = "ADMIN" | "ORGANISER" | "CHECKIN_STAFF";

export const account = (role: DemoRole) => DEMO_ACCOUNTS.find((demo) => demo.role === role)!;

/** Signs a browser context in as a demo account through next-auth's own endpoints (CSRF token, then credentials). */
export async function signInAs(target: BrowserContext | APIRequestContext, role: DemoRole): Promise<void> {
  const request = "request" in target ? target.request : target;
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const { email, password } = account(role);
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  if (!response.ok()) throw new Error(`sign-in as ${role} failed: ${response.status()}`);
}

/**
 * Calls a server action the way React does (multipart: "_1_…" the form fields, then "0" the
 * arguments, last: the server resolves the fields the arguments refer to as it reads them), with
 * no page involved: what an attacker replaying or forging a POST would send.
 */
export function postServerAction(
  request: APIRequestContext,
  {
    path,
    actionId,
    fields = {},
    origin,
  }: { path: string; actionId: string; fields?: Record<string, string>; origin: string },
) {
  const multipart = new FormData();
  for (const [key, value] of Object.entries(fields)) multipart.append(`_1_${key}`, value);
  multipart.append("0", JSON.stringify([{ status: "idle" }, "$K1"]));
  return request.post(path, {
    headers: { "Next-Action": actionId, Accept: "text/x-component", Origin: origin },
    multipart,
    maxRedirects: 0,
  });
}
