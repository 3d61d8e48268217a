import type { FieldSpec } from "@/components/admin/admin-form";
import type { QueueSettings } from "@/lib/editions/queue-settings";
import type { Edition } from "@/lib/generated/prisma/client";
import { utcToZonedLocal } from "@/lib/time/zoned";

type Translate = (key: string) => string;

const local = (date: Date | null | undefined, timeZone: string) => (date ? utcToZonedLocal(date, timeZone) : "");

// Every zone the runtime knows, by IANA name (people find "Europe/Paris" by typing "Eu" in the list).
function zoneOptions(current: string) {
  const zones = Intl.supportedValuesOf("timeZone");
  return (zones.includes(current) ? zones : [current, ...zones]).map((zone) => ({
    value: zone,
    label: zone.replaceAll("_", " "),
  }));
}

/** The fields of the edition form, filled from `edition` when editing one. */
export function editionFields(t: Translate, edition?: Edition): FieldSpec[] {
  const zone = edition?.timeZone ?? "Europe/Paris";
  return [
    { name: "nameFr", label: t("nameFr"), required: true, defaultValue: edition?.nameFr },
    { name: "nameEn", label: t("nameEn"), required: true, defaultValue: edition?.nameEn },
    edition
      ? { name: "slug", label: t("slug"), required: true, hint: t("slugHint"), defaultValue: edition.slug }
      : { name: "slug", label: t("slug"), hint: t("slugHintNew") },
    { name: "descriptionFr", label: t("descriptionFr"), type: "textarea", defaultValue: edition?.descriptionFr },
    { name: "descriptionEn", label: t("descriptionEn"), type: "textarea", defaultValue: edition?.descriptionEn },
    { name: "venueName", label: t("venueName"), required: true, defaultValue: edition?.venueName },
    { name: "venueAddress", label: t("venueAddress"), required: true, defaultValue: edition?.venueAddress },
    {
      name: "timeZone",
      label: t("timeZone"),
      type: "select",
      required: true,
      hint: t("timeZoneHint"),
      defaultValue: zone,
      options: zoneOptions(zone),
    },
    {
      name: "startsAt",
      label: t("startsAt"),
      type: "datetime-local",
      required: true,
      defaultValue: local(edition?.startsAt, zone),
    },
    {
      name: "endsAt",
      label: t("endsAt"),
      type: "datetime-local",
      required: true,
      defaultValue: local(edition?.endsAt, zone),
    },
    {
      name: "capacity",
      label: t("capacity"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("capacityHint"),
      defaultValue: edition ? String(edition.capacity) : "300",
    },
    { name: "currency", label: t("currency"), required: true, defaultValue: edition?.currency ?? "EUR" },
    {
      name: "editDeadline",
      label: t("editDeadline"),
      type: "datetime-local",
      hint: t("editDeadlineHint"),
      defaultValue: local(edition?.editDeadline, zone),
    },
    {
      name: "refundDeadline",
      label: t("refundDeadline"),
      type: "datetime-local",
      hint: t("refundDeadlineHint"),
      defaultValue: local(edition?.refundDeadline, zone),
    },
  ];
}

/** The edition form's group-order settings: how many tickets one order holds, and naming attendees later. */
export function orderLimitFields(t: Translate, edition?: Edition): FieldSpec[] {
  return [
    {
      name: "maxTicketsPerOrder",
      label: t("maxTicketsPerOrder"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("maxTicketsPerOrderHint"),
      defaultValue: String(edition?.maxTicketsPerOrder ?? 10),
    },
    {
      name: "allowNameLater",
      label: t("allowNameLater"),
      type: "checkbox",
      hint: t("allowNameLaterHint"),
      defaultValue: (edition?.allowNameLater ?? true) ? "on" : "",
    },
  ];
}

/** The edition form's self-service setting: whether a group's attendees may cancel their own tickets. */
export function attendeeCancelFields(t: Translate, edition?: Edition): FieldSpec[] {
  return [
    {
      name: "attendeesMayCancel",
      label: t("attendeesMayCancel"),
      type: "checkbox",
      hint: t("attendeesMayCancelHint"),
      defaultValue: edition?.attendeesMayCancel ? "on" : "",
    },
  ];
}

/** The edition form's reminder to buyers of unnamed tickets: days before the start, empty for none. */
export function unnamedReminderFields(t: Translate, edition?: Edition): FieldSpec[] {
  const days = edition ? edition.unnamedReminderDays : 7;
  return [
    {
      name: "unnamedReminderDays",
      label: t("field"),
      type: "number",
      inputMode: "numeric",
      hint: t("fieldHint"),
      defaultValue: days === null ? "" : String(days),
    },
  ];
}

/** The edition form's bank transfers: on or off, days to pay, and the last deadline in days before the start. */
export function transferFields(t: Translate, edition: Edition): FieldSpec[] {
  return [
    {
      name: "transferEnabled",
      label: t("enabled"),
      type: "checkbox",
      hint: t("enabledHint"),
      defaultValue: edition.transferDays === null ? "" : "on",
    },
    {
      name: "transferDays",
      label: t("days"),
      type: "number",
      inputMode: "numeric",
      hint: t("daysHint"),
      defaultValue: String(edition.transferDays ?? 14),
    },
    {
      name: "transferClosesDaysBefore",
      label: t("closesDaysBefore"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("closesDaysBeforeHint"),
      defaultValue: String(edition.transferClosesDaysBefore),
    },
  ];
}

/** The edition form's waiting list: whether its join form shows when sold out, and how long an offer stays open. */
export function waitingListFields(t: Translate, edition: Edition): FieldSpec[] {
  return [
    {
      name: "waitingListOpen",
      label: t("open"),
      type: "checkbox",
      hint: t("openHint"),
      defaultValue: edition.waitingListOpen ? "on" : "",
    },
    {
      name: "waitingListOfferHours",
      label: t("offerHours"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("offerHoursHint"),
      defaultValue: String(edition.waitingListOfferHours),
    },
  ];
}

/** The edition form's waiting room for a sales opening: on or off, when sales open, buyers let through per second. */
export function queueFields(t: Translate, edition: Edition, queue: QueueSettings): FieldSpec[] {
  return [
    {
      name: "queueEnabled",
      label: t("enabled"),
      type: "checkbox",
      hint: t("enabledHint"),
      defaultValue: queue.enabled ? "on" : "",
    },
    {
      name: "queueOpensAt",
      label: t("opensAt"),
      type: "datetime-local",
      hint: t("opensAtHint"),
      defaultValue: local(queue.opensAt, edition.timeZone),
    },
    {
      name: "queueAdmitPerSecond",
      label: t("admitPerSecond"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("admitPerSecondHint"),
      defaultValue: String(queue.admitPerSecond),
    },
  ];
}

/**
 * The Reminders section: the practical information's days before the start and time of day (in the edition's zone,
 * which `t` names in the hint), its links, and the unnamed tickets' reminder (`unnamed`: its own catalogue).
 */
export function reminderFields(t: Translate, unnamed: Translate, edition: Edition): FieldSpec[] {
  return [
    {
      name: "practicalInfoDays",
      label: t("practicalInfoDays"),
      type: "number",
      inputMode: "numeric",
      hint: t("practicalInfoDaysHint"),
      defaultValue: edition.practicalInfoDays === null ? "" : String(edition.practicalInfoDays),
    },
    {
      name: "practicalInfoTime",
      label: t("practicalInfoTime"),
      type: "time",
      required: true,
      hint: t("practicalInfoTimeHint"),
      defaultValue: edition.practicalInfoTime,
    },
    {
      name: "scheduleUrl",
      label: t("scheduleUrl"),
      type: "url",
      hint: t("scheduleUrlHint"),
      defaultValue: edition.scheduleUrl ?? "",
    },
    { name: "mapUrl", label: t("mapUrl"), type: "url", hint: t("mapUrlHint"), defaultValue: edition.mapUrl ?? "" },
    ...unnamedReminderFields(unnamed, edition),
  ];
}
