import { describe, expect, it } from 'vitest';
import { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelayMs } from './reconnect.js';

describe('reconnectDelayMs', () => {
  it('doubles per attempt, between half and all of the ceiling', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(RECONNECT_BASE_MS / 2);
    expect(reconnectDelayMs(0, () => 1)).toBe(RECONNECT_BASE_MS);
    expect(reconnectDelayMs(3, () => 0)).toBe((RECONNECT_BASE_MS * 8) / 2);
  });

  it('never exceeds the maximum and never reaches zero', () => {
    for (const attempt of [0, 5, 10, 50, 1000]) {
      for (const r of [0, 0.5, 0.999]) {
        const delay = reconnectDelayMs(attempt, () => r);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(RECONNECT_MAX_MS);
      }
    }
  });
});
