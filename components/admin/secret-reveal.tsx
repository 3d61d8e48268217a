"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

/**
 * A secret shown once (an API token, a door device's link): the text, a button that copies it, and, for a link
 * meant for a phone, a QR code the phone's camera opens, so nobody types 80 characters on a keyboard.
 */
export function SecretReveal({ secret, qrSvg }: { secret: string; qrSvg?: string }) {
  const t = useTranslations("adminForm");
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopied("yes"),
      () => setCopied("no"),
    );
  return (
    <div className="secret">
      <p>
        <code>{secret}</code>
      </p>
      <p className="secret-actions">
        <button type="button" className="button button-secondary" onClick={copy}>
          {t("copy")}
        </button>
        <span role="status">{copied === "yes" ? t("copied") : copied === "no" ? t("copyFailed") : ""}</span>
      </p>
      {qrSvg && (
        // Our own SVG, drawn by the qrcode package from the link above: no markup from anyone else.
        <div className="secret-qr" role="img" aria-label={t("secretQr")} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      )}
    </div>
  );
}
