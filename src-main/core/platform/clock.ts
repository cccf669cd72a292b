/** Time is injected so tests control it (session expiry, ETA, timestamps). */
export interface Clock {
  now(): Date;
  /** ISO 8601 UTC. */
  iso(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  iso: () => new Date().toISOString(),
};

export function fixedClock(start: Date): Clock & { advance(ms: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    iso: () => new Date(current).toISOString(),
    advance(ms: number) {
      current += ms;
    },
  };
}
