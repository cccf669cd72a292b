/** Up or down through a series: +1 towards higher frame indices. */
export type ScrollDirection = 1 | -1;

/** How many frames to load beyond the one on screen, in the scrolling direction and behind it. */
export interface PrefetchReach {
  readonly ahead: number;
  readonly behind: number;
}

/**
 * Eight ahead covers a quarter of a second of scrolling at 30 slices/s; two behind cover a
 * change of direction, and the first slice scrolled from.
 */
export const DEFAULT_PREFETCH_REACH: PrefetchReach = { ahead: 8, behind: 2 };

/** The direction the viewer moved in, or the previous direction when it did not move. */
export function scrollDirection(
  previous: number | null,
  current: number,
  lastDirection: ScrollDirection,
): ScrollDirection {
  if (previous === null || previous === current) return lastDirection;
  return current > previous ? 1 : -1;
}

/**
 * The frames to load next around `index`, in the order they are wanted: the nearest ahead first,
 * then those behind. The frame on screen is the viewer's own load and is never included.
 */
export function prefetchOrder(
  index: number,
  direction: ScrollDirection,
  frameCount: number,
  reach: PrefetchReach = DEFAULT_PREFETCH_REACH,
): number[] {
  const order: number[] = [];
  const add = (distance: number, towards: ScrollDirection): void => {
    const candidate = index + distance * towards;
    if (candidate >= 0 && candidate < frameCount) order.push(candidate);
  };
  for (let distance = 1; distance <= reach.ahead; distance++) add(distance, direction);
  for (let distance = 1; distance <= reach.behind; distance++)
    add(distance, direction === 1 ? -1 : 1);
  return order;
}

/** A queue of background loads; `want` says what is wanted now, replacing what still waits. */
export interface PrefetchQueue<K> {
  /**
   * Wanted keys, most wanted first. Keys that were waiting and are no longer wanted are dropped
   * (a jump or a turn makes them stale); loads already started run to their end.
   */
  want(keys: readonly K[]): void;
  /** Drops everything waiting and starts nothing more. */
  cancel(): void;
  readonly inFlight: number;
  readonly waiting: number;
}

export interface PrefetchQueueOptions<K> {
  /** Loads at once, so that the frame the user asks for is never stuck behind many guesses. */
  readonly maxConcurrent: number;
  /**
   * Starts one load. It is called again for keys loaded before (cornerstone's cache answers those
   * at once, and that keeps them recently used); a failure is ignored here, since the viewer asks
   * again when it needs the frame.
   */
  readonly load: (key: K) => Promise<unknown>;
}

export function createPrefetchQueue<K>(options: PrefetchQueueOptions<K>): PrefetchQueue<K> {
  const inFlight = new Set<K>();
  let waiting: K[] = [];
  let isCancelled = false;

  function pump(): void {
    while (!isCancelled && inFlight.size < options.maxConcurrent && waiting.length > 0) {
      const key = waiting.shift() as K;
      inFlight.add(key);
      const settle = (): void => {
        inFlight.delete(key);
        pump();
      };
      let started: Promise<unknown>;
      try {
        started = options.load(key);
      } catch {
        started = Promise.resolve();
      }
      started.then(settle, settle);
    }
  }

  return {
    want(keys) {
      if (isCancelled) return;
      waiting = keys.filter((key) => !inFlight.has(key));
      pump();
    },
    cancel() {
      isCancelled = true;
      waiting = [];
    },
    get inFlight() {
      return inFlight.size;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
