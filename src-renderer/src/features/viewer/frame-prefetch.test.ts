import { describe, expect, it } from 'vitest';
import { createPrefetchQueue, prefetchOrder, scrollDirection } from './frame-prefetch.js';

/** A load per key that the test settles by hand. */
function manualLoads() {
  const started: number[] = [];
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const load = (key: number): Promise<void> => {
    started.push(key);
    return new Promise((resolve, reject) => pending.set(key, { resolve, reject }));
  };
  const settle = async (key: number, isOk = true): Promise<void> => {
    const handle = pending.get(key);
    if (handle === undefined) throw new Error(`${key} was not started`);
    pending.delete(key);
    if (isOk) handle.resolve();
    else handle.reject(new Error('no frame'));
    // Let the queue's then-callbacks run.
    await Promise.resolve();
    await Promise.resolve();
  };
  return { started, load, settle };
}

describe('prefetchOrder', () => {
  it('lists the next eight in the scrolling direction, then two behind, nearest first', () => {
    expect(prefetchOrder(50, 1, 200)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 49, 48]);
    expect(prefetchOrder(50, -1, 200)).toEqual([49, 48, 47, 46, 45, 44, 43, 42, 51, 52]);
  });

  it('stays inside the series and never lists the frame on screen', () => {
    expect(prefetchOrder(197, 1, 200)).toEqual([198, 199, 196, 195]);
    expect(prefetchOrder(1, -1, 200)).toEqual([0, 2, 3]);
    expect(prefetchOrder(0, 1, 1)).toEqual([]);
    expect(prefetchOrder(3, 1, 10, { ahead: 2, behind: 0 })).toEqual([4, 5]);
  });
});

describe('scrollDirection', () => {
  it('follows the last move and keeps the direction when the index did not change', () => {
    expect(scrollDirection(null, 99, 1)).toBe(1);
    expect(scrollDirection(10, 11, -1)).toBe(1);
    expect(scrollDirection(10, 0, 1)).toBe(-1);
    expect(scrollDirection(10, 10, -1)).toBe(-1);
  });
});

describe('createPrefetchQueue', () => {
  it('starts at most maxConcurrent loads and starts the next as one ends', async () => {
    const loads = manualLoads();
    const queue = createPrefetchQueue({ maxConcurrent: 2, load: loads.load });
    queue.want([1, 2, 3, 4]);
    expect(loads.started).toEqual([1, 2]);
    expect(queue.inFlight).toBe(2);
    expect(queue.waiting).toBe(2);
    await loads.settle(1);
    expect(loads.started).toEqual([1, 2, 3]);
    await loads.settle(2);
    await loads.settle(3);
    await loads.settle(4);
    expect(loads.started).toEqual([1, 2, 3, 4]);
    expect(queue.inFlight).toBe(0);
  });

  it('drops waiting keys that are no longer wanted, and does not start a key twice', async () => {
    const loads = manualLoads();
    const queue = createPrefetchQueue({ maxConcurrent: 1, load: loads.load });
    queue.want([11, 12, 13]);
    // The user jumped: 12 and 13 are stale; 11 is loading and is not asked for again.
    queue.want([11, 41, 42]);
    expect(queue.waiting).toBe(2);
    await loads.settle(11);
    await loads.settle(41);
    await loads.settle(42);
    expect(loads.started).toEqual([11, 41, 42]);
  });

  it('goes on after a failed load, and a throwing load counts as ended', async () => {
    const loads = manualLoads();
    let calls = 0;
    const queue = createPrefetchQueue({
      maxConcurrent: 1,
      load: (key: number) => {
        calls++;
        if (key === 2) throw new Error('no loader');
        return loads.load(key);
      },
    });
    queue.want([1, 2, 3]);
    await loads.settle(1, false);
    expect(calls).toBe(3);
    expect(loads.started).toEqual([1, 3]);
  });

  it('starts nothing more once cancelled', async () => {
    const loads = manualLoads();
    const queue = createPrefetchQueue({ maxConcurrent: 1, load: loads.load });
    queue.want([1, 2]);
    queue.cancel();
    await loads.settle(1);
    queue.want([5]);
    expect(loads.started).toEqual([1]);
    expect(queue.waiting).toBe(0);
  });
});
