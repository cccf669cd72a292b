import { afterEach, describe, expect, it } from 'vitest';
import type { PoolTestRequest } from '../../../test-support/pool-test-worker.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

const SCRIPT = new URL('../../../test-support/pool-test-worker.ts', import.meta.url);

describe('worker pool', () => {
  let pool: WorkerPool<PoolTestRequest, number>;
  afterEach(() => pool.close());

  const start = (taskTimeoutMs = 2_000, size = 2) => {
    pool = createWorkerPool({ script: SCRIPT, size, taskTimeoutMs, maxHeapMb: 64 });
    return pool;
  };

  it('answers numbered requests in parallel, each with its own result', async () => {
    start();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((value) => pool.run({ kind: 'echo', value })),
    );
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(pool.restarts).toBe(0);
  });

  it('stops a task that runs past its timeout, replaces the worker and keeps serving', async () => {
    start(500, 1);
    const stuck = pool.run({ kind: 'spin' });
    const next = pool.run({ kind: 'echo', value: 21 });
    await expect(stuck).rejects.toMatchObject({
      failure: 'timeout',
      message: 'took longer than 1 s',
    });
    await expect(next).resolves.toBe(42);
    expect(pool.restarts).toBe(1);
  });

  it('reports whatever a task throws (strings, numbers, errors) as error data', async () => {
    start();
    await expect(pool.run({ kind: 'throw', value: 'bad tag' })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('bad tag'),
    });
    await expect(pool.run({ kind: 'throw', value: 1234 })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect(pool.restarts).toBe(0);
  });

  it('survives a worker that exits or runs out of memory, failing only that task', async () => {
    start(20_000, 1);
    await expect(pool.run({ kind: 'exit' })).rejects.toMatchObject({ failure: 'crashed' });
    await expect(pool.run({ kind: 'allocate' })).rejects.toMatchObject({
      failure: 'out-of-memory',
      message: 'needed more than the 64 MB memory limit',
    });
    await expect(pool.run({ kind: 'echo', value: 1 })).resolves.toBe(2);
    expect(pool.restarts).toBe(2);
  });
});
