import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { clientAddressFrom } from "./client-address";

/**
 * Who is asking, for per-client rate limits: the address TRUSTED_PROXY_HOPS proxies saw (see
 * clientAddressFrom), or null when it cannot be told, in which case per-client limits are skipped.
 */
export async function clientKey(): Promise<string | null> {
  return clientAddressFrom((await headers()).get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
}
