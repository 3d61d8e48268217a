import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminForm } from "@/components/admin/admin-form";
import { FieldErrors } from "@/components/field-errors";
import { FormMessage } from "@/components/form-fields";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import { adminOrderPath, adminPrivacyExportPath, adminPrivacyPath } from "@/lib/http/paths";
import { formatDateTime, localized } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { erasedCountsFrom, searchAddress } from "@/lib/privacy/overview";
import { handledRequests, openRequests } from "@/lib/privacy/requests";
import { appNow } from "@/lib/time/clock";
import { eraseAddressAction, refuseRequestAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("dataRights.admin"))("title") };
}

// Requests and the back office's own times are shown in the organisers' zone.
const ZONE = "Europe/Paris";

export default async function PrivacyPage({
  searchParams,
}: {
  searchParams: Promise<{ email?: string; erased?: string }>;
}) {
  await requirePermission("users:manage");
  const locale = await currentLocale();
  const t = await getTranslations("dataRights.admin");
  const tSearch = await getTranslations("dataRights.adminSearch");
  const requests = await openRequests(db());
  const handled = await handledRequests(db());
  const params = await searchParams;
  const search = await searchAddress(db(), params.email, appNow());
  const erased = erasedCountsFrom(params.erased);
  const email = search.kind === "found" ? search.email : null;
  const overview = search.kind === "found" ? search.overview : null;
  const typed = search.kind === "none" ? "" : search.kind === "invalid" ? search.typed : search.email;
  const searchError = search.kind === "invalid" ? [search.error] : undefined;
  const liveList = overview?.live
    .map((ticket) => `${ticket.order.reference}-${ticket.position} (${localized(ticket.edition, "name", locale)})`)
    .join(", ");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <section aria-labelledby="open-requests">
        <h2 id="open-requests">{t("openTitle")}</h2>
        {requests.length === 0 && <p className="muted">{t("noneOpen")}</p>}
        <ul className="admin-list" data-testid="privacy-requests">
          {requests.map((request) => (
            <li key={request.id} className="card">
              <h3 className="card-title">
                <a href={adminPrivacyPath({ email: request.email ?? "" })}>{request.email}</a>{" "}
                <span className="badge status-draft">{t(`kind.${request.kind}`)}</span>
              </h3>
              <p className="muted">
                {t("requested", { date: formatDateTime(request.requestedAt, ZONE, locale) })} ·{" "}
                {t(`via.${request.via as "attendee" | "organiser"}`)}
              </p>
              <details>
                <summary>{t("refuse")}</summary>
                <AdminForm
                  action={refuseRequestAction}
                  hidden={{ id: request.id }}
                  idPrefix={`refuse-${request.id}`}
                  submitLabel={t("refuse")}
                  fields={[{ name: "note", label: t("refuseNote"), type: "textarea", required: true }]}
                />
              </details>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="handled-requests">
        <h2 id="handled-requests">{t("handledTitle")}</h2>
        {handled.length === 0 ? (
          <p className="muted">{t("noneHandled")}</p>
        ) : (
          <ul className="admin-list" data-testid="privacy-handled">
            {handled.map((request) => (
              <li key={request.id}>
                <span className="badge">{t(`kind.${request.kind}`)}</span>{" "}
                {t(`handled.${request.status as "DONE" | "REFUSED"}`, {
                  requested: formatDateTime(request.requestedAt, ZONE, locale),
                  completed: request.completedAt ? formatDateTime(request.completedAt, ZONE, locale) : "",
                  by: request.completedBy?.email ?? t("someone"),
                })}{" "}
                <span className="muted">({t(`via.${request.via as "attendee" | "organiser"}`)})</span>
                {request.note && <q className="muted"> {request.note}</q>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="privacy-search">
        <h2 id="privacy-search">{t("searchTitle")}</h2>
        <form method="get" action={adminPrivacyPath()} className="form">
          <div className="field">
            <label htmlFor="privacy-email">{t("searchLabel")}</label>
            <input
              id="privacy-email"
              name="email"
              type="email"
              defaultValue={typed}
              required
              aria-invalid={Boolean(searchError)}
              aria-describedby={searchError && "privacy-email-error"}
            />
            <FieldErrors id="privacy-email-error" codes={searchError} />
          </div>
          <div>
            <button type="submit" className="button">
              {t("search")}
            </button>
          </div>
        </form>
      </section>
      {erased && <FormMessage tone="success" message={t("message.erased", erased)} />}
      {search.kind === "nothing" && (
        <p className="muted" data-testid="privacy-nothing-held">
          {tSearch("nothingHeld", { email: search.email })}
        </p>
      )}
      {email && overview && (
        <section aria-labelledby="privacy-holds" data-testid="privacy-overview">
          <h2 id="privacy-holds">{t("holdsTitle", { email })}</h2>
          <dl className="summary">
            {(Object.keys(overview.counts) as (keyof typeof overview.counts)[]).map((table) => (
              <div key={table}>
                <dt>{t(`counts.${table}`)}</dt>
                <dd>{overview.counts[table]}</dd>
              </div>
            ))}
          </dl>
          <h3>{t("liveTitle")}</h3>
          {overview.live.length === 0 ? (
            <p className="muted">{t("noLive")}</p>
          ) : (
            <ul data-testid="privacy-live-tickets">
              {overview.live.map((ticket) => (
                <li key={ticket.id}>
                  <a href={adminOrderPath(ticket.edition.slug, ticket.order.reference)}>
                    {`${ticket.order.reference}-${ticket.position}`}
                  </a>{" "}
                  · {localized(ticket.edition, "name", locale)} · {localized(ticket.ticketType, "name", locale)}
                  {ticket.firstName && ` · ${ticket.firstName} ${ticket.lastName}`}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a className="button button-secondary" href={adminPrivacyExportPath(email)}>
              {t("download")}
            </a>
          </p>
          <AdminForm
            action={eraseAddressAction}
            hidden={{ email }}
            idPrefix="erase"
            submitLabel={t("erase")}
            danger
            confirm={liveList ? t("eraseConfirm", { email, tickets: liveList }) : t("eraseConfirmNone", { email })}
            fields={[]}
          />
        </section>
      )}
    </>
  );
}
