import type { Scan } from '../../../src-shared/contract/entities.js';
import type { BinaryFrame } from '../../../src-shared/contract/frames.js';
import type { BinaryLabelVolume } from '../../../src-shared/contract/labels.js';
import type { ReadonlyVector3 } from '../../../src-shared/geometry/vector.js';
import { readCoarseFrames } from '../../../src-shared/mesh/coarse-volume.js';
import type { TriangleMesh } from '../../../src-shared/mesh/marching-cubes.js';
import { HEAD_QUALITY, type MeshQuality } from '../../../src-shared/mesh/mask-surface.js';
import {
  IDENTITY_PLACEMENT,
  type VolumePlacement,
} from '../../../src-shared/mesh/patient-space.js';
import { parseStl, StlError } from '../../../src-shared/mesh/stl.js';
import {
  meshInfo,
  SCENE_DOCUMENT_FORMAT,
  SCENE_DOCUMENT_VERSION,
  type SceneDocument,
} from '../../../src-shared/mesh/scene-document.js';
import type { SceneMesher } from './scene-mesher.js';

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
  /** The scan's attached STL files, as stored. */
  readAttachments(): Promise<Array<{ name: string; bytes: Uint8Array }>>;
  /** Where the surfaces are meshed (a worker thread in the app). */
  readonly mesher: SceneMesher;
  /** 0..1 with what is being done. */
  progress(fraction: number, stage: string): void;
  /** Throws when the job was cancelled; called between units of work. */
  throwIfCancelled(): void;
  now(): string;
}

export interface BuiltScene {
  readonly document: SceneDocument;
  /** In the order of `sceneMeshes(document)`: the lesions, the head, the attachments. */
  readonly meshes: TriangleMesh[];
}

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
  const meshed = await sources.mesher.run({
    kind: 'lesions',
    mask: volume.data,
    dims: [info.columns, info.rows, info.frames],
    spacing,
    placement,
    quality: request.quality,
  });
  const lesions = meshed.kind === 'lesions' ? meshed.lesions : [];
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
    const surface = await sources.mesher.run({
      kind: 'head',
      field: coarse.field,
      dims: coarse.dims,
      spacing: coarse.spacing,
      offset: coarse.offset,
      placement,
      quality: request.quality,
    });
    if (surface.kind === 'head' && surface.mesh.indices.length > 0) head = surface.mesh;
  } else if (!request.withoutHead) {
    notes.push('A single image has no head surface: only the tumour is shown.');
  }
  sources.throwIfCancelled();
  sources.progress(0.9, 'Reading the attached meshes');
  const attachments: Array<{ name: string; mesh: TriangleMesh }> = [];
  for (const { name, bytes } of await sources.readAttachments()) {
    try {
      const { positions, indices } = parseStl(bytes);
      attachments.push({ name, mesh: { positions, indices } });
    } catch (failure) {
      if (!(failure instanceof StlError)) throw failure;
      notes.push(`The attached mesh ${name} is left out: ${failure.message}`);
    }
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
    attachments: attachments.map((a) => ({ name: a.name, ...meshInfo(a.mesh) })),
    notes,
  };
  return {
    document,
    meshes: [
      ...lesions.map((l) => l.mesh),
      ...(head === null ? [] : [head]),
      ...attachments.map((a) => a.mesh),
    ],
  };
}
