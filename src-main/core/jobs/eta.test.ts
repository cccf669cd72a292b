import { describe, expect, it } from 'vitest';
import { estimateSecondsRemaining } from './eta.js';

describe('estimateSecondsRemaining', () => {
  it('extrapolates the remaining time from the rate so far', () => {
    expect(estimateSecondsRemaining(0.25, 1000)).toBe(3);
    expect(estimateSecondsRemaining(0.5, 10_000)).toBe(10);
    expect(estimateSecondsRemaining(0.9, 9000)).toBe(1);
  });

  it('gives no estimate until there is enough to go on', () => {
    expect(estimateSecondsRemaining(0, 60_000)).toBeNull();
    expect(estimateSecondsRemaining(0.005, 60_000)).toBeNull();
    expect(estimateSecondsRemaining(0.5, 100)).toBeNull();
  });

  it('says 0 once the work is complete', () => {
    expect(estimateSecondsRemaining(1, 100)).toBe(0);
  });
});
