import type { ReadonlyVector3 } from '../../../src-shared/geometry/vector.js';
import { meshLesions } from '../../../src-shared/mesh/lesion-meshes.js';
import type { TriangleMesh } from '../../../src-shared/mesh/marching-cubes.js';
import {
  HEAD_QUALITY,
  LESION_QUALITY,
  otsuThreshold,
  scalarSurface,
  type MeshQuality,
} from '../../../src-shared/mesh/mask-surface.js';
import {
  placeInPatientSpace,
  type VolumePlacement,
} from '../../../src-shared/mesh/patient-space.js';
import { createWorkerPool, type WorkerPool } from '../imaging/worker/worker-pool.js';

/** What the scene job asks the mesh worker for: the 3D view's two kinds of surface. */
export type MeshTask =
  | {
      readonly kind: 'lesions';
      readonly mask: Uint8Array;
      readonly dims: ReadonlyVector3;
      readonly spacing: ReadonlyVector3;
      readonly placement: VolumePlacement;
      readonly quality: MeshQuality;
    }
  | {
      readonly kind: 'head';
      /** The scan on a coarser grid (src-shared/mesh/coarse-volume.ts). */
      readonly field: Float32Array;
      readonly dims: ReadonlyVector3;
      readonly spacing: ReadonlyVector3;
      /** Where coarse sample 0, 0, 0 lies in the volume's frame (mm). */
      readonly offset: ReadonlyVector3;
      readonly placement: VolumePlacement;
      readonly quality: MeshQuality;
    };

export interface MeshedLesion {
  readonly mesh: TriangleMesh;
  readonly volumeMl: number;
  readonly maxDiameterMm: number;
  readonly centre: [number, number, number];
}

export type MeshTaskResult =
  | { readonly kind: 'lesions'; readonly lesions: MeshedLesion[] }
  | { readonly kind: 'head'; readonly mesh: TriangleMesh };

/** The meshing itself (src-shared/mesh, as the renderer's mesh worker runs it). */
export function runMeshTask(task: MeshTask): { result: MeshTaskResult; transfer: ArrayBuffer[] } {
  if (task.kind === 'lesions') {
    const lesions = meshLesions({ ...task, quality: LESION_QUALITY[task.quality] }).map((l) => ({
      mesh: l.mesh,
      volumeMl: l.volumeMl,
      maxDiameterMm: l.maxDiameterMm,
      centre: l.centre,
    }));
    return {
      result: { kind: 'lesions', lesions },
      transfer: lesions.flatMap((l) => [
        l.mesh.positions.buffer as ArrayBuffer,
        l.mesh.indices.buffer as ArrayBuffer,
      ]),
    };
  }
  const mesh = scalarSurface(
    task.field,
    task.dims,
    task.spacing,
    otsuThreshold(task.field),
    HEAD_QUALITY[task.quality],
  );
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3)
    for (let axis = 0; axis < 3; axis++) p[i + axis]! += task.offset[axis]!;
  placeInPatientSpace(mesh, task.placement);
  return {
    result: { kind: 'head', mesh },
    transfer: [mesh.positions.buffer as ArrayBuffer, mesh.indices.buffer as ArrayBuffer],
  };
}

/** Runs mesh tasks somewhere: a worker thread in the app, or in this thread. */
export interface SceneMesher {
  run(task: MeshTask): Promise<MeshTaskResult>;
  close(): Promise<void>;
}

/** In this thread (tests of the builder alone; a caller that has no worker to spare). */
export const inThreadMesher: SceneMesher = {
  run: (task) => Promise.resolve(runMeshTask(task).result),
  close: () => Promise.resolve(),
};

/** The compiled worker next to this module: scene-mesh-worker.js in dist, .ts under Vitest. */
function workerScript(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./scene-mesh-worker${extension}`, import.meta.url);
}

/**
 * One worker thread (started on first use) for the scene job's meshing, so serve keeps
 * answering while a BraTS head is meshed; a runaway task is stopped after `timeoutMs`.
 */
export function createWorkerMesher(options: { timeoutMs?: number; maxHeapMb?: number } = {}) {
  const pool: WorkerPool<MeshTask, MeshTaskResult> = createWorkerPool({
    script: workerScript(),
    size: 1,
    taskTimeoutMs: options.timeoutMs ?? 300_000,
    maxHeapMb: options.maxHeapMb ?? 2048,
  });
  return {
    run: (task) => pool.run(task),
    close: () => pool.close(),
  } satisfies SceneMesher;
}
