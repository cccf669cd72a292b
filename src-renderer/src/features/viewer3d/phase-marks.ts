/**
 * The 3D view's loading phases as User Timing marks (`performance.mark`), so the benchmark and
 * the browser's profiler see where the time to the first frame goes (a mark costs microseconds).
 */
export const VIEWER3D_PHASES = [
  'page-mounted',
  'scene-created',
  'mask-requested',
  'mask-received',
  'lesions-meshed',
  'first-frame',
] as const;
export type Viewer3DPhase = (typeof VIEWER3D_PHASES)[number];

const PREFIX = 'viewer3d:';

export function markPhase(phase: Viewer3DPhase): void {
  performance.mark(PREFIX + phase);
}
