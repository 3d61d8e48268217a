/** What an organiser should look at before opening registration; nothing here stops them. */
export type OpeningWarning =
  | { code: "starts_in_past" }
  | { code: "nothing_on_sale" }
  | { code: "sales_ended"; ticketTypes: string[] }
  | { code: "deadline_passed"; deadline: "editDeadline" | "refundDeadline" }
  | { code: "no_door_staff" };

type EditionToOpen = {
  startsAt: Date;
  editDeadline: Date | null;
  refundDeadline: Date | null;
  ticketTypes: { code: string; active: boolean; salesEndAt: Date | null }[];
  staffCount: number;
};

/**
 * The slips a cloned or hastily made edition tends to carry: dates left in the past, sales windows that ended
 * with the previous edition, deadlines already gone, nobody assigned to the door.
 */
export function openingWarnings(edition: EditionToOpen, now: Date): OpeningWarning[] {
  const warnings: OpeningWarning[] = [];
  if (edition.startsAt <= now) warnings.push({ code: "starts_in_past" });
  const active = edition.ticketTypes.filter((type) => type.active);
  const ended = active.filter((type) => type.salesEndAt !== null && type.salesEndAt <= now).map((type) => type.code);
  if (active.length === ended.length) warnings.push({ code: "nothing_on_sale" });
  else if (ended.length > 0) warnings.push({ code: "sales_ended", ticketTypes: ended });
  for (const deadline of ["editDeadline", "refundDeadline"] as const) {
    const at = edition[deadline];
    if (at !== null && at <= now && edition.startsAt > now) warnings.push({ code: "deadline_passed", deadline });
  }
  if (edition.staffCount === 0) warnings.push({ code: "no_door_staff" });
  return warnings;
}
