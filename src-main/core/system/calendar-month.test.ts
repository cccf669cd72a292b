import { describe, expect, it } from 'vitest';
import { monthBounds } from './calendar-month.js';

const bounds = (now: string, timeZone?: string) => {
  const m = monthBounds(new Date(now), timeZone);
  return { timeZone: m.timeZone, start: m.start.toISOString(), end: m.end.toISOString() };
};

describe('calendar month in a time zone', () => {
  it('puts 2026-11-30T23:30Z in December in Berlin and in November in New York', () => {
    expect(bounds('2026-11-30T23:30:00.000Z', 'Europe/Berlin')).toEqual({
      timeZone: 'Europe/Berlin',
      start: '2026-11-30T23:00:00.000Z',
      end: '2026-12-31T23:00:00.000Z',
    });
    expect(bounds('2026-11-30T23:30:00.000Z', 'America/New_York')).toEqual({
      timeZone: 'America/New_York',
      // 1 November 00:00 is still summer time (EDT, UTC−4); 1 December is EST (UTC−5).
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-12-01T05:00:00.000Z',
    });
  });

  it('is UTC without a time zone', () => {
    expect(bounds('2026-11-30T23:30:00.000Z')).toEqual({
      timeZone: 'UTC',
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
  });

  it('follows the DST changes inside a month (Berlin: March, October)', () => {
    // Summer time starts 29 March 2026: the month starts at +01:00 and ends at +02:00.
    expect(bounds('2026-03-29T01:30:00.000Z', 'Europe/Berlin')).toMatchObject({
      start: '2026-02-28T23:00:00.000Z',
      end: '2026-03-31T22:00:00.000Z',
    });
    // Summer time ends 25 October 2026.
    expect(bounds('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toMatchObject({
      start: '2026-09-30T22:00:00.000Z',
      end: '2026-10-31T23:00:00.000Z',
    });
  });

  it('handles the southern hemisphere, year ends and half-hour zones', () => {
    // Sydney: summer time (UTC+11) in January, standard time (UTC+10) from 5 April 2026.
    expect(bounds('2026-04-10T00:00:00.000Z', 'Australia/Sydney')).toMatchObject({
      start: '2026-03-31T13:00:00.000Z',
      end: '2026-04-30T14:00:00.000Z',
    });
    // New Year in Kolkata (UTC+05:30) starts before midnight UTC.
    expect(bounds('2026-12-31T19:00:00.000Z', 'Asia/Kolkata')).toMatchObject({
      start: '2026-12-31T18:30:00.000Z',
      end: '2027-01-31T18:30:00.000Z',
    });
  });

  it('accepts a UTC offset', () => {
    expect(bounds('2026-11-30T23:30:00.000Z', '+01:00')).toMatchObject({
      start: '2026-11-30T23:00:00.000Z',
      end: '2026-12-31T23:00:00.000Z',
    });
  });

  it('refuses an unknown time zone with what to send instead', () => {
    expect(() => monthBounds(new Date(), 'Mars/Olympus')).toThrow(
      /Unknown time zone "Mars\/Olympus".*Europe\/Berlin/,
    );
  });
});
