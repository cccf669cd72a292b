/**
 * Runs at most `limit` tasks at once, the rest in the order they came. Thumbnails use it so that
 * a page of scans does not ask the core to decode fifty frames at the same time, and the
 * viewer's own frame is never stuck behind them (it does not go through this queue).
 */
export interface TaskQueue {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createTaskQueue(limit: number): TaskQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = (): void => {
    if (running >= limit) return;
    const start = waiting.shift();
    if (start !== undefined) start();
  };
  return {
    run(task, signal) {
      return new Promise((resolve, reject) => {
        const start = (): void => {
          if (signal?.aborted === true) {
            reject(new DOMException('Aborted', 'AbortError'));
            next();
            return;
          }
          running++;
          task()
            .then(resolve, reject)
            .finally(() => {
              running--;
              next();
            });
        };
        waiting.push(start);
        next();
      });
    },
  };
}
