import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { GroupRegistrationForm, type TicketBlock } from "@/components/group-registration-form";
import { RegistrationForm, type QuestionField, type TicketChoice } from "@/components/registration-form";
import { TicketQuantities } from "@/components/ticket-quantities";
import { loadEditionOfferOr404 } from "@/lib/editions/load-offer";
import { env } from "@/lib/env";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { transferDeadlineOffered } from "@/lib/editions/transfer-deadline";
import type { PaymentChoice } from "@/components/payment-method-fields";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { Link } from "@/lib/i18n/navigation";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import {
  answerFormValues,
  attendeeFormValues,
  groupOrderFormValues,
  ticketQuantities,
} from "@/lib/orders/registration-form";
import { queueJoinPath, queuePath, registerPath } from "@/lib/http/paths";
import { queueCookieName, queueKey, queueState } from "@/lib/queue/app-queue";
import { queueGate } from "@/lib/queue/gate";
import { TestModeNotice } from "@/components/test-mode-notice";
import { db } from "@/lib/db/prisma";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { EmailLinkRequestForm } from "@/components/email-link-request-form";
import { prefillValuesFor, verifyPrefillToken } from "@/lib/orders/returning-attendee";
import { ticketKeys } from "@/lib/tickets/signing-key";
import { VoucherCodeForm } from "@/components/voucher-code";
import { priceTicketsWithCode } from "@/lib/vouchers/redeem";
import { offerWithCodeFromQuery } from "../code-from-query";
import { requestLostTicket } from "../lost-ticket-action";
import { registerFromForm } from "./actions";
import { OfferRegistration } from "./offer-registration";
import { requestPrefill } from "./prefill-action";

/** A returning attendee's details, for whoever opened the link sent to their mailbox. */
async function valuesFromPrefillLink(token: string): Promise<Record<string, string> | undefined> {
  const email = verifyPrefillToken(token, ticketKeys().publicKey);
  return email ? prefillValuesFor(db(), email) : undefined;
}

/**
 * The form as it was typed, for someone back from a payment they cancelled (and only for them); for
 * a group, also how many tickets of each type it held, in the quantities form's terms.
 */
async function cancelledOrderForm(
  accessToken: string,
  editionId: string,
): Promise<{ values: Record<string, string>; quantities?: Record<string, string> } | undefined> {
  const order = await getOrderByAccessToken(db(), accessToken);
  const ticket = order?.tickets[0];
  if (!order || !ticket || order.editionId !== editionId || order.statusReason !== "checkout_cancelled")
    return undefined;
  if (order.tickets.length === 1) {
    return {
      values: {
        ticketType: ticket.ticketType.code,
        ...attendeeFormValues(ticket),
        ...answerFormValues(ticket.answers),
      },
    };
  }
  const quantities: Record<string, string> = {};
  for (const { ticketType } of order.tickets) {
    quantities[`quantity.${ticketType.code}`] = String(Number(quantities[`quantity.${ticketType.code}`] ?? 0) + 1);
  }
  return { values: groupOrderFormValues(order), quantities };
}

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; slug: string }>;
  /**
   * `ticket`, `from`, `prefill`, `code` (a voucher's), and `quantity.<code>` for a group order; `offer`, a
   * waiting-list entry's token, makes it the page of that entry's offer.
   */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  const t = await getTranslations({ locale, namespace: "attendeeEdges.title" });
  return { title: t("register", { edition: localized((await loadEditionOfferOr404(slug)).edition, "name", locale) }) };
}

/** While the edition's queue is on, only an admitted place sees the form; sold out, the page says so as today. */
async function waitYourTurn(locale: string, slug: string) {
  const state = await queueState(db(), slug);
  if (!state?.queue) return;
  const ticket = (await cookies()).get(queueCookieName(slug))?.value ?? null;
  const gate = await queueGate(db(), state, ticket, { key: queueKey(), now: new Date(), join: false });
  if (gate.status === "queued") redirect(queuePath(locale, slug));
  if (gate.status === "no_ticket" || gate.status === "refused") redirect(queueJoinPath(locale, slug));
}

export default async function RegisterPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  const query = await searchParams;
  // An offer's page shows no other form than the offer's, whose seats are held already: it has no turn to wait.
  if (typeof query.offer === "string") {
    const offer = await loadEditionOfferOr404(slug);
    // Back from a checkout cancelled: the offer's form as it was sent, with as many tickets.
    const cancelled =
      typeof query.from === "string" ? await cancelledOrderForm(query.from, offer.edition.id) : undefined;
    return (
      <OfferRegistration
        locale={locale}
        offer={offer}
        token={query.offer}
        query={{
          ...query,
          ...(cancelled && (cancelled.quantities ?? { [`quantity.${cancelled.values.ticketType}`]: "1" })),
        }}
        refill={cancelled?.values}
      />
    );
  }
  await waitYourTurn(locale, slug);
  const { ticket, from, prefill } = query;
  const t = await getTranslations();
  const offer = await loadEditionOfferOr404(slug);
  const { edition, questions } = offer;
  const editionName = localized(edition, "name", locale);
  const withCode = await offerWithCodeFromQuery(offer, query, locale);
  const { ticketTypes } = withCode;
  const code = withCode.state.kind === "applied" ? withCode.state.code : undefined;
  const priceText = (cents: number) => (cents === 0 ? t("common.free") : formatMoney(cents, edition.currency, locale));

  const choices: TicketChoice[] = ticketTypes
    .filter((type) => type.saleState === "on_sale")
    .map((type) => {
      // What the buyer pays: with the code where it applies (the usual price then shown struck beside it).
      const discounted = type.withCode && type.withCode.discountCents > 0 ? type.withCode : null;
      const paying = discounted?.priceCents ?? type.priceCents;
      return {
        code: type.code,
        name: localized(type, "name", locale),
        price: priceText(paying),
        listPrice: discounted ? priceText(type.priceCents) : undefined,
        paid: paying > 0,
        availability: t("availability.left", { count: type.seatsLeft }),
        disabled: type.seatsLeft === 0,
      };
    });
  const fields: QuestionField[] = localizedQuestionFields(questions, locale);
  const cancelled = typeof from === "string" ? await cancelledOrderForm(from, edition.id) : undefined;
  const prefilled = typeof prefill === "string" ? await valuesFromPrefillLink(prefill) : undefined;
  const initialValues = cancelled?.values ?? prefilled;
  const hasPaidTickets = choices.some((choice) => choice.paid);
  const requested = typeof ticket === "string" ? ticket : undefined;
  const selected =
    choices.find((choice) => choice.code === requested && !choice.disabled)?.code ??
    (choices.length === 1 ? choices[0].code : undefined);

  // A group order: how many of each type (from the quantities form), one block per ticket.
  const onSale = ticketTypes.filter((type) => type.saleState === "on_sale");
  const maxPerOrder = edition.maxTicketsPerOrder;
  const limitOf = (type: (typeof onSale)[number]) =>
    Math.max(0, Math.min(type.maxPerOrder ?? maxPerOrder, maxPerOrder, type.seatsLeft));
  const asked = ticketQuantities(
    cancelled?.quantities ?? query,
    onSale.map((type) => ({ code: type.code, max: limitOf(type) })),
  );
  const askedTotal = [...asked.values()].reduce((sum, count) => sum + count, 0);
  // Each ticket at the price the order will be charged: a code's uses per order leave the others at their list price.
  const lines = onSale.flatMap((type, index) =>
    Array.from({ length: asked.get(type.code) ?? 0 }, () => ({ ticketType: type, choice: choices[index] })),
  );
  const pricedWithCode = withCode.voucher && priceTicketsWithCode(withCode.voucher, lines, edition.currency);
  const priced = pricedWithCode?.ok
    ? pricedWithCode.tickets
    : lines.map((line) => ({ ...line, priceCents: line.ticketType.priceCents, discountCents: undefined }));
  const blocks: TicketBlock[] = priced.map(({ choice, ticketType, priceCents, discountCents }) => ({
    ticketType: choice.code,
    typeName: choice.name,
    paid: priceCents > 0,
    price: priceText(priceCents),
    listPrice: discountCents ? priceText(ticketType.priceCents) : undefined,
  }));
  const groupTotal = priceText(priced.reduce((sum, ticket) => sum + ticket.priceCents, 0));
  // What the page's address holds besides the code (the ticket, the quantities), kept when the code changes.
  const kept = Object.fromEntries(
    Object.entries(query).filter(
      (entry): entry is [string, string] =>
        (entry[0] === "ticket" || onSale.some((type) => entry[0] === `quantity.${type.code}`)) &&
        typeof entry[1] === "string",
    ),
  );
  const withoutCode = registerPath(locale, edition.slug, kept);
  const tooMany = askedTotal > maxPerOrder;
  const group = askedTotal > 1 && !tooMany;
  // One ticket asked through the quantities is the one-attendee form with that ticket chosen.
  const single = askedTotal === 1 ? blocks[0].ticketType : selected;
  const quantities = (
    <TicketQuantities
      action={registerPath(locale, edition.slug)}
      code={code}
      maxPerOrder={maxPerOrder}
      open={askedTotal > 1}
      tooMany={tooMany}
      types={onSale.map((type, index) => ({
        ...choices[index],
        max: limitOf(type),
        count: askedTotal > 0 ? (asked.get(type.code) ?? 0) : type.code === selected ? 1 : 0,
      }))}
    />
  );
  const open = edition.status !== "CLOSED" && choices.length > 0;
  const transferDeadline = hasPaidTickets ? await transferDeadlineOffered(db(), edition, new Date()) : null;
  const payment: PaymentChoice = {
    heldNote: t("register.heldNote", { minutes: env().HOLD_MINUTES }),
    transferDeadline: transferDeadline && formatDateTime(transferDeadline, edition.timeZone, locale),
  };

  return (
    <>
      <p>
        <Link href={`/editions/${edition.slug}`}>← {t("register.backToEdition")}</Link>
      </p>
      <h1>{t("register.title", { edition: editionName })}</h1>
      {cancelled && (
        <p className="notice" role="status">
          {t("attendeeEdges.checkoutCancelled")}
        </p>
      )}
      {hasPaidTickets && <TestModeNotice />}
      {/* Before the registration: a buyer applies the code first, so the GET reload erases nothing typed. */}
      {open && (
        <VoucherCodeForm
          action={registerPath(locale, edition.slug)}
          state={withCode.state}
          currency={edition.currency}
          locale={locale}
          keep={kept}
          withoutCode={withoutCode}
        />
      )}
      {!open ? (
        <p className="notice">{t(edition.status === "CLOSED" ? "edition.closed" : "edition.noTickets")}</p>
      ) : group ? (
        <>
          {quantities}
          <GroupRegistrationForm
            action={registerFromForm.bind(null, edition.slug, locale)}
            blocks={blocks}
            total={groupTotal}
            code={code}
            withoutCode={withoutCode}
            questions={fields}
            initialValues={cancelled?.quantities && cancelled.values}
            payment={payment}
            challenge={env().REGISTRATION_CHALLENGE === "on"}
            allowNameLater={edition.allowNameLater}
          />
        </>
      ) : (
        <>
          {tooMany && quantities}
          <RegistrationForm
            action={registerFromForm.bind(null, edition.slug, locale)}
            ticketTypes={choices}
            code={code}
            withoutCode={withoutCode}
            questions={fields}
            selectedTicketType={single}
            initialValues={initialValues}
            payment={payment}
            challenge={env().REGISTRATION_CHALLENGE === "on"}
            resendTicket={requestLostTicket.bind(null, edition.slug)}
          />
          {!tooMany && !initialValues && quantities}
        </>
      )}
      {!initialValues && choices.length > 0 && edition.status !== "CLOSED" && (
        <section aria-labelledby="returning" className="lost-ticket">
          <h2 id="returning">{t("returning.title")}</h2>
          <EmailLinkRequestForm action={requestPrefill.bind(null, edition.slug, locale)} namespace="returning" />
        </section>
      )}
    </>
  );
}
