import { utcToZonedLocal } from "@/lib/time/zoned";

const DAY = 86_400_000;
type Schedule = { startsAt: Date; timeZone: string; practicalInfoDays: number | null; practicalInfoTime: string };

// The instant a zone's offset `shift` ms away gives a wall-clock time: Date.UTC of it minus that offset.
function withOffsetAt(asIfUtc: number, timeZone: string, shift: number): number {
  const probe = asIfUtc + shift;
  const local = Date.parse(`${utcToZonedLocal(new Date(probe), timeZone)}:00Z`);
  const offset = local - Math.floor(probe / 60_000) * 60_000;
  return asIfUtc - offset;
}

/**
 * When an edition's practical information is due: `practicalInfoDays` before the start's day, at `practicalInfoTime`,
 * both in the edition's zone; null when off. The TypeScript twin of SQL's guichet_practical_info_due (the sweep's
 * rule), for the settings page, held equal by a test across changes of summer and winter time: a time the zone
 * skips that night is read with the offset before the change (02:30 → 03:30), one it repeats as the later one (winter
 * time), as Postgres does.
 */
export function practicalInfoDue(edition: Schedule): Date | null {
  if (edition.practicalInfoDays === null) return null;
  const startDay = Date.parse(`${utcToZonedLocal(edition.startsAt, edition.timeZone).slice(0, 10)}T00:00Z`);
  const day = new Date(startDay - edition.practicalInfoDays * DAY).toISOString().slice(0, 10);
  const local = `${day}T${edition.practicalInfoTime}`;
  const asIfUtc = Date.parse(`${local}:00Z`);
  // The zone's offsets a day either side cover both sides of a change; of the instants showing this time, the later.
  const instants = [-DAY, 0, DAY]
    .map((shift) => withOffsetAt(asIfUtc, edition.timeZone, shift))
    .filter((instant) => utcToZonedLocal(new Date(instant), edition.timeZone) === local);
  return new Date(instants.length > 0 ? Math.max(...instants) : withOffsetAt(asIfUtc, edition.timeZone, -DAY));
}
