import "server-only";
import { randomBytes } from "node:crypto";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions, Session } from "next-auth";
import type { Adapter, VerificationToken } from "next-auth/adapters";
import CredentialsProvider from "next-auth/providers/credentials";
import EmailProvider from "next-auth/providers/email";
import { cookies } from "next/headers";
import { after } from "next/server";
import { db } from "@/lib/db/prisma";
import { enqueueEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { clientAddressFrom } from "@/lib/http/client-address";
import { LOCALE_COOKIE } from "@/lib/i18n/request";
import { consumeRateLimit } from "@/lib/rate-limit/consume";
import { nextAuthLogger } from "./next-auth-logger";
import { signInWithPassword } from "./password-sign-in";
import type { Role } from "./roles";
import { findActiveUser } from "./users";

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
const SIGN_IN_LINK_MAX_AGE_SECONDS = 10 * 60;

export type SessionUser = { id: string; email: string; name: string | null; role: Role };

/**
 * A sign-in link is only ever stored and sent for an active account: anyone else gets the same
 * "check your inbox", no VerificationToken row, and an answer just as fast, since next-auth's two
 * steps (store the token, send the link) both run after the answer has gone (`after`). The
 * sending step waits for the storing step of the same request, found by address and expiry.
 */
const tokensStored = new Map<string, Promise<boolean>>();
const requestKey = (identifier: string, expires: Date) => `${identifier}|${expires.getTime()}`;

function storeTokenOfActiveAccount(adapter: Adapter, token: VerificationToken): VerificationToken {
  const stored = new Promise<boolean>((resolve, reject) =>
    after(async () => {
      try {
        const known = (await findActiveUser(db(), token.identifier)) !== null;
        if (known) await adapter.createVerificationToken!(token);
        resolve(known);
      } catch (error) {
        reject(error);
      }
    }),
  );
  // Awaited by the sending step; a failure must not also surface as an unhandled rejection.
  stored.catch(() => {});
  tokensStored.set(requestKey(token.identifier, token.expires), stored);
  return token;
}

type LinkRequest = { identifier: string; url: string; token: string; expires: Date };

async function queueSignInLink({ identifier, url, token, expires }: LinkRequest) {
  const locale = (await cookies()).get(LOCALE_COOKIE)?.value === "en" ? "en" : "fr";
  after(async () => {
    const key = requestKey(identifier, expires);
    const stored = tokensStored.get(key);
    tokensStored.delete(key);
    if (!(await stored)) return;
    const user = await findActiveUser(db(), identifier);
    if (!user || !(await consumeRateLimit(db(), `sign-in-link:${user.email}`, { limit: 5, windowSeconds: 3600 }))) {
      return;
    }
    await db().$transaction((tx) =>
      enqueueEmail(tx, {
        dedupeKey: `sign-in-link:${token}`,
        kind: "sign_in_link",
        toAddress: user.email,
        locale,
        payload: { url },
      }),
    );
  });
}

function clientKeyOf(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  return clientAddressFrom(typeof forwarded === "string" ? forwarded : null, env().TRUSTED_PROXY_HOPS);
}

let options: NextAuthOptions | undefined;

/**
 * next-auth with sessions in the database (Prisma adapter). Email links and passwords both end in
 * a Session row: next-auth writes password sign-ins as a JWT cookie, so `jwt.encode` below makes
 * that cookie the token of a new database session instead, and every session can be revoked.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  // next-auth builds its links (sign-in emails, callbacks) from NEXTAUTH_URL: the app's public address.
  process.env.NEXTAUTH_URL ??= env().APP_URL;
  const prismaAdapter = PrismaAdapter(db() as never) as Adapter;
  const adapter: Adapter = {
    ...prismaAdapter,
    createVerificationToken: (token) => storeTokenOfActiveAccount(prismaAdapter, token),
  };
  options = {
    adapter,
    secret: env().AUTH_SECRET,
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 60 * 60 },
    logger: nextAuthLogger,
    pages: { signIn: "/admin/sign-in", verifyRequest: "/admin/sign-in?sent=1", error: "/admin/sign-in" },
    providers: [
      EmailProvider({ maxAge: SIGN_IN_LINK_MAX_AGE_SECONDS, sendVerificationRequest: queueSignInLink }),
      CredentialsProvider({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const result = await signInWithPassword(db(), {
            email: String(credentials?.email ?? ""),
            password: String(credentials?.password ?? ""),
            clientKey: clientKeyOf(request?.headers),
          });
          if (result.ok) return result.user;
          // next-auth passes an error's message to the sign-in page as ?error=…
          throw new Error(result.reason === "rate_limited" ? "RateLimited" : "CredentialsSignin");
        },
      }),
    ],
    callbacks: {
      async signIn({ user, email }) {
        if (email?.verificationRequest) return true;
        return (await findActiveUser(db(), user.email ?? "")) !== null;
      },
      async jwt({ token, user, account }) {
        if (account?.provider === "credentials") token.userId = user.id;
        return token;
      },
      async session({ session, user }): Promise<Session> {
        const { id, email, name, role } = user as unknown as SessionUser;
        return { ...session, user: { id, email, name, role } as SessionUser };
      },
    },
    jwt: {
      async encode({ token }) {
        if (typeof token?.userId !== "string") throw new Error("a session cookie is only made at password sign-in");
        const sessionToken = randomBytes(32).toString("base64url");
        await adapter.createSession!({
          sessionToken,
          userId: token.userId,
          expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
        });
        return sessionToken;
      },
      async decode() {
        return null;
      },
    },
  };
  return options;
}
