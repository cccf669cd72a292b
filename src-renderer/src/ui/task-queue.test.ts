import { describe, expect, it } from 'vitest';
import { createTaskQueue } from './task-queue.js';

function deferred() {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createTaskQueue', () => {
  it('runs at most `limit` tasks at once, in order, and skips aborted ones', async () => {
    const queue = createTaskQueue(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const aborted = new AbortController();
    aborted.abort();
    const results = gates.map((gate, i) =>
      queue
        .run(
          async () => {
            started.push(i);
            await gate.promise;
            return i;
          },
          i === 2 ? aborted.signal : undefined,
        )
        .catch(() => -1),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[0]?.resolve();
    await results[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 3]);
    gates[1]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all(results)).toEqual([0, 1, -1, 3]);
  });
});
