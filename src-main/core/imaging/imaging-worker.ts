// Entry of the imaging worker threads: parsing and decoding of untrusted files.
import { runImagingTask } from './imaging-tasks.js';
import { serveTasks } from './worker/serve-tasks.js';

serveTasks(runImagingTask);
