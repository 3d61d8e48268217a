"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormMessage } from "@/components/form-fields";

type Outcome = { tone: "error" | "success"; message: string } | null;

// A client island because next-auth's sign-in calls (CSRF token, then POST) run in the browser.
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("signIn");
  const [pending, setPending] = useState<"password" | "email" | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function withPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending("password");
    setOutcome(null);
    const result = await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      callbackUrl,
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // The page's own (already vetted, relative) destination: next-auth's absolute URL is built
      // from APP_URL, which a proxy in front may render differently.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(null);
    setOutcome({ tone: "error", message: t(result?.error === "RateLimited" ? "rateLimited" : "invalidCredentials") });
  }

  async function withLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setOutcome({ tone: "error", message: t("invalidEmail") });
      return;
    }
    setPending("email");
    setOutcome(null);
    const result = await signIn("email", { email, callbackUrl, redirect: false });
    setPending(null);
    setOutcome(
      result?.ok && !result.error
        ? { tone: "success", message: t("linkSent") }
        : { tone: "error", message: t("failed") },
    );
  }

  return (
    <div className="sign-in">
      <FormMessage message={outcome?.message} tone={outcome?.tone} />
      <form className="form" onSubmit={withPassword} noValidate>
        <h2>{t("withPassword")}</h2>
        <div className="field">
          <label htmlFor="password-email">{t("email")}</label>
          <input id="password-email" name="email" type="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="password">{t("password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <div>
          <button type="submit" className="button" disabled={pending !== null} aria-busy={pending === "password"}>
            {pending === "password" ? t("signingIn") : t("signInWithPassword")}
          </button>
        </div>
      </form>
      <form className="form" onSubmit={withLink} noValidate>
        <h2>{t("withLink")}</h2>
        <p className="hint">{t("withLinkHint")}</p>
        <div className="field">
          <label htmlFor="link-email">{t("email")}</label>
          <input id="link-email" name="email" type="email" autoComplete="email" required />
        </div>
        <div>
          <button
            type="submit"
            className="button button-secondary"
            disabled={pending !== null}
            aria-busy={pending === "email"}
          >
            {pending === "email" ? t("sending") : t("sendLink")}
          </button>
        </div>
      </form>
    </div>
  );
}
