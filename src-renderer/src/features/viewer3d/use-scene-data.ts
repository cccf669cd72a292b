import { useEffect, useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import type { ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';
import {
  HEAD_QUALITY,
  LESION_QUALITY,
  type MeshQuality,
} from '../../../../src-shared/mesh/mask-surface.js';
import {
  IDENTITY_PLACEMENT,
  type VolumePlacement,
} from '../../../../src-shared/mesh/patient-space.js';
import { parseStl, StlError } from '../../../../src-shared/mesh/stl.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { readCoarseVolume } from './head-volume.js';
import type { LesionGeometry } from './mesh-protocol.js';
import { runMeshWorker, startMeshWorker } from './mesh-client.js';
import { markPhase } from './phase-marks.js';
import type { MeshData } from './scene.js';

/** Where a scan's voxels lie: spacing (mm) and patient placement, with what had to be assumed. */
export interface ScanGeometry {
  readonly spacing: ReadonlyVector3;
  readonly placement: VolumePlacement;
  readonly notes: readonly string[];
}

export function scanGeometry(scan: Scan): ScanGeometry {
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

export type Loadable<T> =
  | { readonly state: 'off' }
  | { readonly state: 'loading'; readonly what: string }
  | { readonly state: 'ready'; readonly value: T; readonly ms: number }
  | { readonly state: 'failed'; readonly error: string };

const isAbort = (failure: unknown): boolean =>
  failure instanceof DOMException && failure.name === 'AbortError';

/** The lesions of a label source, meshed in the worker; re-meshed when the quality changes. */
export function useLesionMeshes(
  scanId: string,
  source: string | null,
  geometry: ScanGeometry | null,
  quality: MeshQuality,
): Loadable<LesionGeometry[]> {
  const api = useApi();
  const [result, setResult] = useState<Loadable<LesionGeometry[]>>({ state: 'off' });
  useEffect(() => {
    if (source === null || geometry === null) {
      setResult({ state: 'off' });
      return;
    }
    const controller = new AbortController();
    const started = performance.now();
    setResult({ state: 'loading', what: 'Reading the tumour mask…' });
    void (async () => {
      try {
        // Started now, it is ready when the mask arrives; aborting terminates it.
        const worker = startMeshWorker(controller.signal);
        markPhase('mask-requested');
        // Only the labelled box: a few KB to read and a small grid to label and mesh.
        const box = await api.labelBox(scanId, source);
        if (controller.signal.aborted) return;
        markPhase('mask-received');
        const { info } = box;
        let lesions: LesionGeometry[] = [];
        // Nothing labelled: no surface to build, no worker to start.
        if (info.labels.length > 0) {
          setResult({ state: 'loading', what: 'Building the tumour surfaces…' });
          const reply = await runMeshWorker(
            {
              kind: 'lesions',
              mask: box.data.slice(),
              dims: info.size,
              offset: info.offset,
              spacing: geometry.spacing,
              placement: geometry.placement,
              quality: LESION_QUALITY[quality],
            },
            {
              signal: controller.signal,
              worker,
              onProgress: (done, total) =>
                setResult({
                  state: 'loading',
                  what: `Building the tumour surfaces (${done + 1} of ${total})…`,
                }),
            },
          );
          lesions = reply.lesions;
        } else worker.terminate();
        markPhase('lesions-meshed');
        setResult({ state: 'ready', value: lesions, ms: performance.now() - started });
      } catch (failure) {
        if (!isAbort(failure)) setResult({ state: 'failed', error: errorMessage(failure) });
      }
    })();
    return () => controller.abort();
  }, [api, scanId, source, geometry, quality]);
  return result;
}

/** The head (or brain) surface from the scan's frames, thresholded with Otsu, in the worker. */
export function useHeadSurface(
  scan: Scan | null,
  geometry: ScanGeometry | null,
  quality: MeshQuality,
  isWanted: boolean,
): Loadable<MeshData> {
  const api = useApi();
  const [result, setResult] = useState<Loadable<MeshData>>({ state: 'off' });
  useEffect(() => {
    if (!isWanted || scan === null || geometry === null || scan.dims === null) {
      setResult({ state: 'off' });
      return;
    }
    const controller = new AbortController();
    const started = performance.now();
    const [columns, rows, frames] = scan.dims;
    const step = HEAD_QUALITY[quality].downsample;
    setResult({ state: 'loading', what: 'Reading the scan for the head surface…' });
    void (async () => {
      try {
        const coarse = await readCoarseVolume(
          (index) => api.frame(scan.id, index),
          { columns, rows, frames, spacing: geometry.spacing },
          step,
          {
            signal: controller.signal,
            onProgress: (done, total) =>
              setResult({
                state: 'loading',
                what: `Reading the scan for the head surface (${done} of ${total} slices)…`,
              }),
          },
        );
        setResult({ state: 'loading', what: 'Building the head surface…' });
        const reply = await runMeshWorker(
          {
            kind: 'head',
            field: coarse.field,
            dims: coarse.dims,
            spacing: coarse.spacing,
            offset: coarse.offset,
            placement: geometry.placement,
            quality: HEAD_QUALITY[quality],
          },
          { signal: controller.signal },
        );
        setResult({
          state: 'ready',
          value: { positions: reply.positions, indices: reply.indices },
          ms: performance.now() - started,
        });
      } catch (failure) {
        if (!isAbort(failure) && !controller.signal.aborted)
          setResult({ state: 'failed', error: errorMessage(failure) });
      }
    })();
    return () => controller.abort();
  }, [api, scan, geometry, quality, isWanted]);
  return result;
}

/** One attached STL mesh, read and parsed. */
export interface AttachedMesh {
  readonly id: string;
  readonly name: string;
  readonly mesh: Loadable<MeshData>;
}

/** The scan's attached STL meshes (e.g. upper and lower jaw), each read once. */
export function useAttachedMeshes(
  scanId: string,
  attachments: ReadonlyArray<{ id: string; description: string | null }>,
): AttachedMesh[] {
  const api = useApi();
  const [meshes, setMeshes] = useState<AttachedMesh[]>([]);
  useEffect(() => {
    let isCurrent = true;
    const nameOf = (a: { id: string; description: string | null }, n: number): string =>
      a.description ?? `Mesh ${n + 1}`;
    setMeshes(
      attachments.map((a, n) => ({
        id: a.id,
        name: nameOf(a, n),
        mesh: { state: 'loading', what: 'Reading…' },
      })),
    );
    attachments.forEach((attachment, n) => {
      const started = performance.now();
      api.stream('attachments.mesh', { scanId, attachmentId: attachment.id }).then(
        ({ data }) => {
          let mesh: Loadable<MeshData>;
          try {
            const stl = parseStl(new Uint8Array(data));
            mesh = { state: 'ready', value: stl, ms: performance.now() - started };
          } catch (failure) {
            mesh = {
              state: 'failed',
              error: failure instanceof StlError ? failure.message : errorMessage(failure),
            };
          }
          if (isCurrent)
            setMeshes((all) => all.map((m) => (m.id === attachment.id ? { ...m, mesh } : m)));
        },
        (failure: unknown) => {
          if (isCurrent)
            setMeshes((all) =>
              all.map((m) =>
                m.id === attachment.id
                  ? {
                      ...m,
                      name: nameOf(attachment, n),
                      mesh: { state: 'failed', error: errorMessage(failure) },
                    }
                  : m,
              ),
            );
        },
      );
    });
    return () => {
      isCurrent = false;
    };
  }, [api, scanId, attachments]);
  return meshes;
}
