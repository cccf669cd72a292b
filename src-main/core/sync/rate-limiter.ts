/**
 * An average send-rate limit: `take(bytes)` resolves when sending that many bytes keeps the
 * rate since the limiter's last idle moment at or under `bytesPerSecond`. The sync takes a
 * batch's bytes before it sends the batch, so the rate holds per batch, not per packet.
 */
export function createRateLimiter(
  bytesPerSecond: () => number | null,
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
) {
  let availableAt = 0;
  return {
    async take(bytes: number, signal?: AbortSignal): Promise<void> {
      const rate = bytesPerSecond();
      if (rate === null || bytes <= 0) return;
      const start = Math.max(now(), availableAt);
      availableAt = start + (bytes / rate) * 1000;
      const wait = start - now();
      if (wait > 0 && signal?.aborted !== true) await sleep(wait);
    },
    /** The bytes one batch may hold so that it is sent in about a second (at least one item). */
    batchBytes(): number {
      return bytesPerSecond() ?? Number.POSITIVE_INFINITY;
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
