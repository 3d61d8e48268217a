"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { safeCallback } from "@/lib/auth/callback";
import { SESSION_COOKIES } from "@/lib/auth/session-cookies";
import { db } from "@/lib/db/prisma";

/**
 * Signs out: the database session goes, so the cookie is worthless even if kept. A form may name
 * where the next sign-in leads (switching account at the scanner brings staff back to its door).
 */
export async function signOut(form?: FormData): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = jar.get(name)?.value;
    if (token) await db().session.deleteMany({ where: { sessionToken: token } });
    jar.delete(name);
  }
  const next = form?.get("callbackUrl");
  redirect(next ? `/admin/sign-in?callbackUrl=${encodeURIComponent(safeCallback(next))}` : "/admin/sign-in");
}
