import { randomBytes } from "node:crypto";

/** The address an entry is known by: one live entry per address and edition (a partial unique index). */
export const entryEmailKey = (email: string) => email.trim().toLowerCase();

/** An entry's private link secret: 32 random bytes, base64url. */
export const newEntryToken = () => randomBytes(32).toString("base64url");
