/** The doctor/patient seed's "Standard rate limit: 100 requests per minute". */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 100;
const WINDOW_MS = 60_000;
/** Keys not seen for a window are forgotten, so the table cannot grow without bound. */
const SWEEP_EVERY = 1_000;

export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * A sliding one-minute window per key (a user id, or the client address for calls without a
 * valid token): each key may make `limit` requests in any 60 seconds.
 */
export function createRateLimiter(limit: number, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  let calls = 0;

  function sweep(at: number): void {
    for (const [key, times] of hits) {
      const last = times[times.length - 1];
      if (last === undefined || at - last >= WINDOW_MS) hits.delete(key);
    }
  }

  return {
    take(key: string): RateDecision {
      const at = now();
      if (++calls % SWEEP_EVERY === 0) sweep(at);
      const times = (hits.get(key) ?? []).filter((t) => at - t < WINDOW_MS);
      if (times.length >= limit) {
        hits.set(key, times);
        const oldest = times[0] ?? at;
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000)),
        };
      }
      times.push(at);
      hits.set(key, times);
      return { allowed: true };
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
