import { getTranslations } from "next-intl/server";
import { currentTicketCode, qrSvg } from "@/lib/tickets/issue";

/** The ticket's QR code, to show at the door; the SVG comes from our own signed code. */
export async function TicketQr({
  ticket,
  holder,
}: {
  ticket: { id: string; editionId: string; codeVersion: number };
  holder: string;
}) {
  const t = await getTranslations("ticket");
  const code = currentTicketCode(ticket);
  return (
    <figure className="ticket-qr">
      <div
        role="img"
        aria-label={t("qrLabel", { name: holder })}
        data-ticket-code={code}
        dangerouslySetInnerHTML={{ __html: await qrSvg(code) }}
      />
      <figcaption>{t("qrHint")}</figcaption>
    </figure>
  );
}
