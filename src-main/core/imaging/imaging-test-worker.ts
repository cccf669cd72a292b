// An imaging worker for tests: the real tasks, except that a file whose path names 'crash' kills
// the worker and one that names 'stuck' never finishes (a decoder bug, a hostile file).
import type { ImagingRequest } from './imaging-tasks.js';
import { runImagingTask } from './imaging-tasks.js';
import { serveTasks } from './worker/serve-tasks.js';

serveTasks(async (request: ImagingRequest) => {
  const name =
    'path' in request ? request.path : typeof request.source === 'string' ? request.source : '';
  if (name.includes('crash')) process.exit(3);
  if (name.includes('stuck')) for (;;);
  return runImagingTask(request);
});
