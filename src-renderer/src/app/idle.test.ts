import { describe, expect, it } from 'vitest';
import { idlePhase, shouldKeepAlive } from './idle.js';

const MIN = 60_000;

describe('idlePhase', () => {
  it('is active until the warning, then counts down, then expires', () => {
    expect(idlePhase(10 * MIN, 10 * MIN, 30 * MIN)).toEqual({ kind: 'active', warnInMs: 29 * MIN });
    expect(idlePhase(39.5 * MIN, 10 * MIN, 30 * MIN)).toEqual({
      kind: 'warning',
      remainingMs: 0.5 * MIN,
    });
    expect(idlePhase(40 * MIN, 10 * MIN, 30 * MIN)).toEqual({ kind: 'expired' });
  });

  it('warns for at most half of a short timeout', () => {
    expect(idlePhase(0, 0, 60_000)).toEqual({ kind: 'active', warnInMs: 30_000 });
  });

  it('treats activity in the future (clock skew) as now', () => {
    expect(idlePhase(0, 5_000, 30 * MIN).kind).toBe('active');
  });
});

describe('shouldKeepAlive', () => {
  it('pings only after activity since the last ping, at most once per interval', () => {
    expect(shouldKeepAlive(6 * MIN, 5 * MIN, 0)).toBe(true);
    expect(shouldKeepAlive(6 * MIN, 0, 0)).toBe(false);
    expect(shouldKeepAlive(4 * MIN, 3 * MIN, 0)).toBe(false);
  });
});
