import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

// argon2id with the library's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Spent when the address is unknown, so a wrong address takes as long as a wrong password.
const UNKNOWN_USER_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$ROZVUxV8Vc0WYkvzXCNYzg$63QHA3fXGO9cRnecmjSGn+HMCzBDK0ybuX3F0MCGfbU";

export async function verifyNobodysPassword(password: string): Promise<false> {
  await verifyPassword(UNKNOWN_USER_HASH, password);
  return false;
}

export const newPasswordSchema = z.string().min(12, { error: "password_too_short" }).max(200, { error: "too_long" });
