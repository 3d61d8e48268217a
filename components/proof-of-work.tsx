"use client";

import type {} from "altcha/types/react";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";

const WIDGET_STRINGS = [
  "label",
  "verifying",
  "verified",
  "verify",
  "error",
  "expired",
  "verificationRequired",
  "waitAlert",
  "loading",
  "reload",
] as const;

/**
 * The registration's proof-of-work (ALTCHA): the browser solves a challenge from our own server
 * (no third party, no cookie) and the widget puts the answer in the form's hidden `altcha` field.
 * The script comes from our bundle, so it works offline; its words come from our catalogues.
 * `attempt` changes after every submission: a solution is spent by it, so a fresh one is solved.
 */
export function ProofOfWork({ attempt }: { attempt: number }) {
  const t = useTranslations("abuse.widget");
  const locale = useLocale();
  const [ready, setReady] = useState(false);
  const strings = Object.fromEntries(WIDGET_STRINGS.map((key) => [key, t(key)]));
  const translations = JSON.stringify(strings);

  useEffect(() => {
    let cancelled = false;
    // The widget defines a custom element: it can only load in the browser.
    void import("altcha").then(() => {
      if (cancelled) return;
      globalThis.$altcha.i18n.set(locale, JSON.parse(translations));
      setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, [locale, translations]);

  // The widget loads after the page: someone quick (or autofill) may be in the form already, and its "on focus"
  // start would wait for the next focus. Started at once then.
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const widget = group.current?.querySelector("altcha-widget");
    if (!ready || !widget) return;
    const form = widget.closest("form");
    if (form?.contains(document.activeElement) && widget.getState?.() === "unverified") void widget.verify();
  }, [ready, attempt]);

  return (
    <div ref={group} className="proof-of-work" role="group" aria-label={t("groupLabel")}>
      <p className="muted" id="proof-of-work-hint">
        {t("hint")}
      </p>
      {ready && (
        <div key={attempt}>
          <altcha-widget
            challenge="/api/v1/registration-challenge"
            name="altcha"
            language={locale}
            auto="onfocus"
            configuration={JSON.stringify({ hideFooter: true, hideLogo: true })}
            aria-describedby="proof-of-work-hint"
          />
        </div>
      )}
    </div>
  );
}
