import { AppError } from '../../../src-shared/errors.js';

/** A calendar month of a time zone as UTC instants: [start, end). */
export interface MonthBounds {
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `Unknown time zone "${timeZone}": send an IANA name such as "Europe/Berlin" or a UTC offset such as "+01:00".`,
    );
  }
}

/** The wall-clock date and time in the zone at an instant, as if that wall clock were UTC. */
function wallClockMs(format: Intl.DateTimeFormat, instantMs: number): number {
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(format.formatToParts(instantMs).find((p) => p.type === type)?.value);
  return Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
}

/** The UTC instant at which the zone's wall clock shows midnight on the 1st of a month. */
function monthStartMs(format: Intl.DateTimeFormat, year: number, monthIndex: number): number {
  const wall = Date.UTC(year, monthIndex, 1);
  // The zone's offset at a first guess, then at the instant found: right across a DST change
  // between the guess and midnight (where midnight does not exist, the first instant after it).
  const offsetAt = (instantMs: number): number =>
    wallClockMs(format, instantMs) - Math.floor(instantMs / 1000) * 1000;
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

/**
 * The calendar month that contains `now` on the wall clocks of `timeZone` (IANA name or UTC
 * offset): a scan imported at 2026-11-30T23:30Z is in December in Berlin, in November in New York.
 */
export function monthBounds(now: Date, timeZone = 'UTC'): MonthBounds {
  const format = formatterFor(timeZone);
  const wall = new Date(wallClockMs(format, now.getTime()));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  return {
    timeZone: format.resolvedOptions().timeZone,
    start: new Date(monthStartMs(format, year, month)),
    end: new Date(monthStartMs(format, year, month + 1)),
  };
}
