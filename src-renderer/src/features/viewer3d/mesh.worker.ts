// The mesh worker: marching cubes, smoothing and decimation off the page's thread, so the view
// stays responsive while a large mask or a head surface is meshed.
import { meshLesions } from '../../../../src-shared/mesh/lesion-meshes.js';
import { otsuThreshold, scalarSurface } from '../../../../src-shared/mesh/mask-surface.js';
import { placeInPatientSpace } from '../../../../src-shared/mesh/patient-space.js';
import type { LesionGeometry, MeshReply, MeshRequest } from './mesh-protocol.js';

/** The worker global (the renderer's tsconfig has DOM types, not WebWorker ones). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<MeshRequest>) => void) | null;
  postMessage(message: MeshReply, transfer?: Transferable[]): void;
};

function handle(request: MeshRequest): void {
  const started = performance.now();
  if (request.kind === 'lesions') {
    const lesions = meshLesions({
      ...request,
      onProgress: (done, total) => scope.postMessage({ kind: 'progress', done, total }),
    });
    const geometry: LesionGeometry[] = lesions.map((l) => ({
      id: l.id,
      positions: l.mesh.positions,
      indices: l.mesh.indices,
      volumeMl: l.volumeMl,
      maxDiameterMm: l.maxDiameterMm,
      centre: l.centre,
    }));
    scope.postMessage(
      { kind: 'lesions', lesions: geometry, ms: performance.now() - started },
      geometry.flatMap((g) => [g.positions.buffer, g.indices.buffer]),
    );
    return;
  }
  const threshold = otsuThreshold(request.field);
  const mesh = scalarSurface(
    request.field,
    request.dims,
    request.spacing,
    threshold,
    request.quality,
  );
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3)
    for (let axis = 0; axis < 3; axis++) p[i + axis]! += request.offset[axis]!;
  placeInPatientSpace(mesh, request.placement);
  scope.postMessage(
    {
      kind: 'head',
      positions: p,
      indices: mesh.indices,
      threshold,
      ms: performance.now() - started,
    },
    [p.buffer, mesh.indices.buffer],
  );
}

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (failure) {
    scope.postMessage({
      kind: 'error',
      message: failure instanceof Error ? failure.message : String(failure),
    });
  }
};
