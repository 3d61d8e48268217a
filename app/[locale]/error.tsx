"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";

// Unexpected failures: the details go to the server log (digest), the person gets a polite page.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errorPage");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert">
      <h1>{t("errorTitle")}</h1>
      <p>{t("errorText")}</p>
      <button type="button" className="button" onClick={reset}>
        {t("retry")}
      </button>
    </div>
  );
}
