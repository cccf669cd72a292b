import { actorOf } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { HandlerCall } from '../router.js';

/** How long one audited frame read covers the same user's further frames of the same scan. */
export const FRAME_READ_WINDOW_MS = 10 * 60 * 1000;
const MAX_TRACKED = 10_000;

/**
 * The viewer reads hundreds of frames while scrolling; one row per frame would drown the log.
 * A frame read is audited when a user first reads a scan's frames and again after the window,
 * so every viewing session of a scan is in the trail without a row per frame.
 */
export function createReadCoalescer(clock: Clock, windowMs = FRAME_READ_WINDOW_MS) {
  const lastAudited = new Map<string, number>();
  return {
    /** True when this read should be audited (and remembers that it was). */
    shouldAudit(call: HandlerCall, target: string): boolean {
      const key = JSON.stringify([actorOf(call.principal), call.context.transport, target]);
      const now = clock.now().getTime();
      const last = lastAudited.get(key);
      if (last !== undefined && now - last < windowMs) return false;
      if (lastAudited.size >= MAX_TRACKED) lastAudited.clear();
      lastAudited.set(key, now);
      return true;
    },
  };
}
