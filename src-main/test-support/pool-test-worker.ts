// A worker for the pool's tests: each request asks for one kind of behaviour, good or hostile.
import { serveTasks } from '../core/imaging/worker/serve-tasks.js';

export type PoolTestRequest =
  | { kind: 'echo'; value: number }
  | { kind: 'spin' }
  | { kind: 'throw'; value: unknown }
  | { kind: 'exit' }
  | { kind: 'allocate' };

serveTasks<PoolTestRequest, number>(async (request) => {
  switch (request.kind) {
    case 'echo':
      return { result: request.value * 2 };
    case 'spin':
      for (;;) {
        // A parser stuck in a loop on a hostile file.
      }
    case 'throw':
      throw request.value;
    case 'exit':
      process.exit(3);
      break;
    case 'allocate': {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array<number>(1_000_000).fill(1));
    }
  }
  return { result: -1 };
});
