import type { Scan } from '../../../src-shared/contract/entities.js';
import type { BinaryFrame } from '../../../src-shared/contract/frames.js';
import type { BinaryLabelVolume } from '../../../src-shared/contract/labels.js';
import type { ReadonlyVector3 } from '../../../src-shared/geometry/vector.js';
import { readCoarseFrames } from '../../../src-shared/mesh/coarse-volume.js';
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
  IDENTITY_PLACEMENT,
  placeInPatientSpace,
  type VolumePlacement,
} from '../../../src-shared/mesh/patient-space.js';
import {
  meshInfo,
  SCENE_DOCUMENT_FORMAT,
  SCENE_DOCUMENT_VERSION,
  type SceneDocument,
} from '../../../src-shared/mesh/scene-document.js';

/** Where a scan's voxels lie, and what had to be assumed (as the 3D view's `scanGeometry`). */
export function scanPlacement(scan: Scan): {
  spacing: ReadonlyVector3;
  placement: VolumePlacement;
  notes: string[];
} {
  const notes: string[] = [];
  const spacing = scan.spacing;
  if (spacing === null) notes.push('The scan has no voxel spacing: sizes are in voxels, not mm.');
  else if (spacing[2] === null) notes.push('The scan has no slice spacing: 1 mm is assumed.');
  if (scan.origin === null || scan.direction === null)
    notes.push('The scan has no patient orientation: the L/R/A/P/S/I labels follow its axes.');
  return {
    spacing: [spacing?.[0] ?? 1, spacing?.[1] ?? 1, spacing?.[2] ?? 1],
    placement:
      scan.origin === null || scan.direction === null
        ? IDENTITY_PLACEMENT
        : { origin: scan.origin, direction: scan.direction },
    notes,
  };
}

export interface SceneRequest {
  readonly quality: MeshQuality;
  readonly highlightTumor: boolean;
  readonly colorScheme: 'standard' | 'colorblind';
  readonly source: string;
  readonly withoutHead: boolean;
}

export interface SceneSources {
  readonly scan: Scan;
  readMask(source: string): Promise<BinaryLabelVolume>;
  readFrame(index: number): Promise<BinaryFrame>;
  /** 0..1 with what is being done. */
  progress(fraction: number, stage: string): void;
  /** Throws when the job was cancelled; called between units of work. */
  throwIfCancelled(): void;
  now(): string;
}

export interface BuiltScene {
  readonly document: SceneDocument;
  /** In the order of `sceneMeshes(document)`: the lesions, then the head. */
  readonly meshes: TriangleMesh[];
}

/** Lets the event loop run between long synchronous steps (serve keeps answering). */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The 3D scene of a scan: one surface per lesion of the mask (with volume and diameter) and
 * the head (or brain) surface at Otsu's threshold, in patient space, at the chosen quality. The
 * same meshing as the 3D view (src-shared/mesh), so the file shows what the app shows.
 */
export async function buildScene(
  sources: SceneSources,
  request: SceneRequest,
): Promise<BuiltScene> {
  const { scan } = sources;
  const { spacing, placement, notes } = scanPlacement(scan);
  sources.progress(0.02, 'Reading the tumour mask');
  const volume = await sources.readMask(request.source);
  sources.throwIfCancelled();
  const { info } = volume;
  sources.progress(0.15, 'Building the tumour surfaces');
  await breathe();
  const lesions = meshLesions({
    mask: volume.data,
    dims: [info.columns, info.rows, info.frames],
    spacing,
    placement,
    quality: LESION_QUALITY[request.quality],
    onProgress: (done, total) => {
      sources.throwIfCancelled();
      sources.progress(
        0.15 + (0.35 * done) / Math.max(1, total),
        `Building the tumour surfaces (${done + 1} of ${total})`,
      );
    },
  });
  sources.throwIfCancelled();

  let head: TriangleMesh | null = null;
  const dims = scan.dims;
  if (!request.withoutHead && dims !== null && dims[2] > 1) {
    const step = HEAD_QUALITY[request.quality].downsample;
    const coarse = await readCoarseFrames(
      (index) => sources.readFrame(index),
      { columns: dims[0], rows: dims[1], frames: dims[2], spacing },
      step,
      {
        beforeEach: () => sources.throwIfCancelled(),
        onProgress: (done, total) =>
          sources.progress(
            0.5 + (0.3 * done) / total,
            `Reading the scan for the head surface (${done} of ${total} slices)`,
          ),
      },
    );
    sources.progress(0.82, 'Building the head surface');
    await breathe();
    const mesh = scalarSurface(
      coarse.field,
      coarse.dims,
      coarse.spacing,
      otsuThreshold(coarse.field),
      HEAD_QUALITY[request.quality],
    );
    const p = mesh.positions;
    for (let i = 0; i < p.length; i += 3)
      for (let axis = 0; axis < 3; axis++) p[i + axis]! += coarse.offset[axis]!;
    placeInPatientSpace(mesh, placement);
    head = mesh.indices.length > 0 ? mesh : null;
  } else if (!request.withoutHead) {
    notes.push('A single image has no head surface: only the tumour is shown.');
  }
  sources.throwIfCancelled();
  if (lesions.length === 0) notes.push('The mask has no lesion: no tumour surface to show.');

  const document: SceneDocument = {
    format: SCENE_DOCUMENT_FORMAT,
    version: SCENE_DOCUMENT_VERSION,
    title: 'Neurosphere · 3D tumour scene',
    createdAt: sources.now(),
    quality: request.quality,
    highlightTumor: request.highlightTumor,
    colorScheme: request.colorScheme,
    tumourSource: request.source === 'analysis' ? 'analysis' : 'label map',
    // Numbered as the 3D view numbers them: in order, counting only the lesions shown.
    lesions: lesions.map((l, n) => ({
      id: n + 1,
      volumeMl: l.volumeMl,
      maxDiameterMm: l.maxDiameterMm,
      centre: l.centre,
      ...meshInfo(l.mesh),
    })),
    head: head === null ? null : meshInfo(head),
    notes,
  };
  return { document, meshes: [...lesions.map((l) => l.mesh), ...(head === null ? [] : [head])] };
}
