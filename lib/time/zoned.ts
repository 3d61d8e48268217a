// Wall-clock times in an edition's time zone, as typed into datetime-local fields, to and from UTC.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function wallClockParts(instant: number, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return [get("year"), get("month"), get("day"), get("hour"), get("minute")];
}

function offsetAt(instant: number, timeZone: string): number {
  const [year, month, day, hour, minute] = wallClockParts(instant, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute) - Math.floor(instant / 60_000) * 60_000;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time denotes in `timeZone`; null for a malformed value or a time the
 * zone skips (02:30 on a spring-forward night). An ambiguous autumn time takes the first one.
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date | null {
  const match = LOCAL.exec(local);
  if (!match || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(asIfUtc) || new Date(asIfUtc).getUTCDate() !== day) return null;
  // The zone's offsets a day either side cover both sides of any clock change; of the instants
  // that show this wall-clock time, the earliest wins (an autumn repeat happens twice).
  const offsets = [-86_400_000, 0, 86_400_000].map((shift) => offsetAt(asIfUtc + shift, timeZone));
  const instants = offsets
    .map((offset) => asIfUtc - offset)
    .filter((candidate) => utcToZonedLocal(new Date(candidate), timeZone) === local);
  return instants.length === 0 ? null : new Date(Math.min(...instants));
}

/** The datetime-local value showing `date` in `timeZone`. */
export function utcToZonedLocal(date: Date, timeZone: string): string {
  const [year, month, day, hour, minute] = wallClockParts(date.getTime(), timeZone);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
}

/**
 * `date` moved by `wallClockMs` on the zone's clocks rather than in absolute time, so 23:59 stays 23:59 across a
 * change between summer and winter time. A result the zone skips (spring forward) falls back to the absolute move.
 */
export function shiftWallClock(date: Date, timeZone: string, wallClockMs: number): Date {
  const [year, month, day, hour, minute] = wallClockParts(date.getTime(), timeZone);
  const shifted = new Date(Date.UTC(year, month - 1, day, hour, minute) + wallClockMs).toISOString().slice(0, 16);
  return zonedLocalToUtc(shifted, timeZone) ?? new Date(date.getTime() + wallClockMs);
}

/** How far apart two instants are on the zone's clocks (one hour less across a spring-forward night, say). */
export function wallClockDistance(from: Date, to: Date, timeZone: string): number {
  const naive = (date: Date) => {
    const [year, month, day, hour, minute] = wallClockParts(date.getTime(), timeZone);
    return Date.UTC(year, month - 1, day, hour, minute);
  };
  return naive(to) - naive(from);
}

/** 23:59:59.999 of the day `date` falls on in `timeZone`. */
export function endOfDay(date: Date, timeZone: string): Date {
  const lastMinute = zonedLocalToUtc(`${utcToZonedLocal(date, timeZone).slice(0, 10)}T23:59`, timeZone);
  return new Date((lastMinute ?? date).getTime() + 59_999);
}
