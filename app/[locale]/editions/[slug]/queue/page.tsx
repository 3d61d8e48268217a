import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { QueuePoller } from "@/components/queue-poller";
import { db } from "@/lib/db/prisma";
import { loadEditionOfferOr404 } from "@/lib/editions/load-offer";
import { apiQueuePath, queueJoinPath, registerPath } from "@/lib/http/paths";
import { formatDateTime, localized } from "@/lib/i18n/format";
import { Link } from "@/lib/i18n/navigation";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { queueCookieName, queueKey, queueState } from "@/lib/queue/app-queue";
import { queueGate, retryAfterMs } from "@/lib/queue/gate";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; slug: string }>;
  searchParams: Promise<{ joined?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  const t = await getTranslations({ locale, namespace: "waitingRoom" });
  return { title: t("title", { edition: localized((await loadEditionOfferOr404(slug)).edition, "name", locale) }) };
}

/**
 * The edition's waiting room: this browser's place, the estimate and the seats left, kept fresh by the poller
 * (and, without JavaScript, by reloading). Admitted, it goes on to the form; without a place, it takes one.
 */
export default async function QueuePage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  const state = await queueState(db(), slug);
  if (!state) notFound();
  if (!state.queue) redirect(registerPath(locale, slug));
  const ticket = (await cookies()).get(queueCookieName(slug))?.value ?? null;
  const gate = await queueGate(db(), state, ticket, { key: queueKey(), now: new Date(), join: false });
  const joined = (await searchParams).joined === "1";
  if (gate.status === "admitted" || gate.status === "open") redirect(registerPath(locale, slug));
  if ((gate.status === "no_ticket" && !joined) || gate.status === "refused") redirect(queueJoinPath(locale, slug));

  const t = await getTranslations("waitingRoom");
  const { edition } = await loadEditionOfferOr404(slug);
  const back = (
    <p>
      <Link href={`/editions/${edition.slug}`}>← {(await getTranslations("register"))("backToEdition")}</Link>
    </p>
  );
  const title = <h1>{t("title", { edition: localized(edition, "name", locale) })}</h1>;
  if (gate.status !== "queued") {
    return (
      <>
        {back}
        {title}
        <p className="notice" role="status">
          {t(gate.status === "sold_out" ? "soldOut" : "cookiesNeeded")}
        </p>
      </>
    );
  }
  const retryMs = retryAfterMs(gate.estimatedWaitSeconds);
  return (
    <>
      {back}
      {title}
      <noscript>
        <meta httpEquiv="refresh" content={String(Math.ceil(retryMs / 1000))} />
      </noscript>
      <p>{t("intro")}</p>
      {gate.opensAt && gate.opensAt > new Date() && (
        <p>{t("opensAt", { time: formatDateTime(gate.opensAt, edition.timeZone, locale) })}</p>
      )}
      <QueuePoller
        pollUrl={apiQueuePath(slug, { ticket: gate.ticket })}
        registerUrl={registerPath(locale, slug)}
        initial={{
          position: gate.position,
          estimatedWaitSeconds: gate.estimatedWaitSeconds,
          seatsLeft: gate.seatsLeft,
          retryAfterMs: retryMs,
        }}
      />
      <p className="muted">{t("keepOpen")}</p>
    </>
  );
}
