import "server-only";
import { headers } from "next/headers";

/** Who is asking, for rate limits: the first address a proxy recorded, or one bucket for direct callers. */
export async function clientKey(): Promise<string> {
  return (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim() || "direct";
}
