import { questionOptions } from "./answers";
import type { EditionOffer } from "./queries";
import { waitingListOpen } from "./waiting-list-open";

/** The public JSON shape of an edition and its live availability (GET /api/v1/editions/{slug}). */
export function editionOfferJson(offer: EditionOffer, now = new Date()) {
  const { edition, ticketTypes, questions, seatsLeft } = offer;
  return {
    slug: edition.slug,
    name: { fr: edition.nameFr, en: edition.nameEn },
    description: { fr: edition.descriptionFr, en: edition.descriptionEn },
    venue: { name: edition.venueName, address: edition.venueAddress },
    startsAt: edition.startsAt.toISOString(),
    endsAt: edition.endsAt.toISOString(),
    timeZone: edition.timeZone,
    status: edition.status.toLowerCase(),
    currency: edition.currency,
    capacity: edition.capacity,
    seatsLeft,
    // Whether joining is offered; the list's length stays the organiser's.
    waitingList: { open: waitingListOpen(offer, now) },
    ticketTypes: ticketTypes.map((type) => ({
      code: type.code,
      name: { fr: type.nameFr, en: type.nameEn },
      priceCents: type.priceCents,
      currency: edition.currency,
      quota: type.quota,
      salesStartAt: type.salesStartAt?.toISOString() ?? null,
      salesEndAt: type.salesEndAt?.toISOString() ?? null,
      saleState: type.saleState,
      seatsLeft: type.seatsLeft,
    })),
    questions: questions.map((question) => ({
      key: question.key,
      type: question.type.toLowerCase(),
      required: question.required,
      label: { fr: question.labelFr, en: question.labelEn },
      options: questionOptions(question).map((option) => ({
        value: option.value,
        label: { fr: option.labelFr, en: option.labelEn },
      })),
    })),
  };
}
