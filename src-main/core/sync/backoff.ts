/** How long to wait before the next try, and how much of it is random. */
export interface BackoffPolicy {
  /** The wait after the first failure, in ms. */
  baseMs: number;
  /** The longest wait, in ms: a PACS down for a week is tried at least this often. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with jitter: base·2^(attempts-1), capped, then a uniformly random share
 * between half and all of it, so workstations that lost the same PACS do not all return at the
 * same instant ("equal jitter"). `random` is injected so tests can fix it.
 */
export function backoffDelayMs(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
