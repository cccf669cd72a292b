// Entry of the scene job's mesh worker thread: marching cubes, smoothing and decimation of the
// tumour and head surfaces off the core's main thread (scene-mesher.ts).
import { serveTasks } from '../imaging/worker/serve-tasks.js';
import { runMeshTask, type MeshTask } from './scene-mesher.js';

serveTasks((task: MeshTask) => Promise.resolve(runMeshTask(task)));
