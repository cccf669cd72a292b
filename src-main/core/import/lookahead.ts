/**
 * Runs `task` on the next few items ahead of the one being consumed, so slow independent work
 * (inspecting files in the worker pool) overlaps the in-order work that follows it. The item
 * list may grow while it is consumed. A task's failure is thrown when its item is taken, never
 * as an unhandled rejection.
 */
export function createLookahead<T, R>(
  items: readonly T[],
  depth: number,
  task: (item: T) => Promise<R>,
): { take(index: number): Promise<R> } {
  const started = new Map<number, Promise<() => R>>();
  return {
    async take(index) {
      for (let i = index; i < Math.min(items.length, index + depth); i++) {
        if (started.has(i)) continue;
        started.set(
          i,
          task(items[i]!).then(
            (value) => () => value,
            (error: unknown) => () => {
              throw error;
            },
          ),
        );
      }
      const result = started.get(index);
      if (result === undefined) throw new Error(`no item ${index} to take`);
      started.delete(index);
      return (await result)();
    },
  };
}
