/** Where a session stands with respect to the idle logoff. */
export type IdlePhase =
  | { readonly kind: 'active'; readonly warnInMs: number }
  | { readonly kind: 'warning'; readonly remainingMs: number }
  | { readonly kind: 'expired' };

/** How long before the logoff the user is warned and can stay by moving the mouse. */
export const IDLE_WARNING_MS = 60_000;

/**
 * The app logs off a little before the core would expire the session, so the user sees a
 * friendly notice instead of a failed request.
 */
export function idlePhase(
  nowMs: number,
  lastActivityMs: number,
  timeoutMs: number,
  warningMs = IDLE_WARNING_MS,
): IdlePhase {
  const idleMs = Math.max(0, nowMs - lastActivityMs);
  const remainingMs = timeoutMs - idleMs;
  if (remainingMs <= 0) return { kind: 'expired' };
  const warning = Math.min(warningMs, timeoutMs / 2);
  if (remainingMs <= warning) return { kind: 'warning', remainingMs };
  return { kind: 'active', warnInMs: remainingMs - warning };
}

/** Activity keeps the core's session alive too; at most one keep-alive call per interval. */
export const KEEPALIVE_INTERVAL_MS = 5 * 60_000;

export function shouldKeepAlive(
  nowMs: number,
  lastActivityMs: number,
  lastKeepAliveMs: number,
  intervalMs = KEEPALIVE_INTERVAL_MS,
): boolean {
  return lastActivityMs > lastKeepAliveMs && nowMs - lastKeepAliveMs >= intervalMs;
}
