import type { Scan } from '../../../src-shared/contract/entities.js';
import type { FrameSamples } from '../../../src-shared/contract/frames.js';
import {
  ANALYSIS_LABELS,
  labelSourceSchema,
  type BinaryLabelBox,
  type BinaryLabelVolume,
  type LabelVolumeInfo,
} from '../../../src-shared/contract/labels.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysisService } from '../analysis/analysis-service.js';
import {
  lpsPermutationOfAxes,
  type AxisPermutation,
} from '../../../src-shared/geometry/reorient.js';
import { unpermuteVoxels } from '../../../src-shared/geometry/reorder-voxels.js';
import type { ReadonlyVector3, Vector3 } from '../../../src-shared/geometry/vector.js';
import { cropToBox, nonZeroBox } from '../../../src-shared/geometry/voxel-box.js';
import type { DerivedRepo } from '../scans/derived-repo.js';
import type { FilesRepo } from '../scans/files-repo.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { ImagingClient } from '../imaging/imaging-client.js';
import { createLruCache } from './lru-cache.js';

export interface LabelVolumeDeps {
  scans: ScansRepo;
  derived: DerivedRepo;
  files: FilesRepo;
  blobs: BlobStore;
  frames: FrameService;
  analysis: Pick<AnalysisService, 'outputs' | 'latest'>;
  /** Reads the stored label map files (untrusted) off the main thread. */
  imaging: Pick<ImagingClient, 'loadNiftiVolume' | 'dicomSegLabels'>;
  /** Decoded label volumes kept in memory (bytes); 192 MiB unless told. */
  cacheBytes?: number;
}

export interface LabelVolumeService {
  /**
   * The label volume of a scan on the scan's frame grid (frame k = the viewer's frame k):
   * `'analysis'` for the latest analysis's mask, or a segmentation id for an imported label map.
   */
  getVolume(scanId: string, source: string): Promise<BinaryLabelVolume>;
  /**
   * Only the labelled box of that volume, with its offset on the frame grid (what the 3D view
   * meshes): the same checks and errors as getVolume.
   */
  getBox(scanId: string, source: string): Promise<BinaryLabelBox>;
}

/** A decoded label volume, and its labelled box once asked for. */
interface CachedLabels {
  readonly volume: BinaryLabelVolume;
  box?: BinaryLabelBox;
}

/** [columns, rows, frames]: the grid the viewer's frames span. */
type FrameGrid = Vector3;

const IDENTITY_PLAN: AxisPermutation = { sourceAxis: [0, 1, 2], flip: [false, false, false] };

/**
 * How the scan's frame grid maps onto patient axes (L, P, S), the order NIfTI label maps are read
 * in. NIfTI scans are read in that same canonical order and pictures have no orientation, so only
 * a DICOM series can need re-ordering (e.g. a coronal or sagittal series); its voxel axes are
 * [row direction, column direction, slice normal], with frames sorted along the normal.
 */
export function frameGridPlan(scan: Pick<Scan, 'format' | 'direction'>): AxisPermutation {
  if (scan.format !== 'dicom' || scan.direction === null) return IDENTITY_PLAN;
  return lpsPermutationOfAxes(scan.direction);
}

/**
 * Lays a label map read in canonical (L, P, S) order onto the frame grid. Refuses a label map
 * whose grid is not the scan's: drawing it anyway would put labels on the wrong anatomy.
 */
export function canonicalToFrameOrder(
  labels: Uint8Array,
  labelDims: ReadonlyVector3,
  grid: FrameGrid,
  plan: AxisPermutation,
): Uint8Array {
  const expected = plan.sourceAxis.map((axis) => grid[axis]!);
  if (expected.some((d, i) => d !== labelDims[i])) {
    throw new AppError(
      'INVALID_INPUT',
      `The label map's grid (${labelDims.join('×')} voxels) differs from the scan's ` +
        `(${expected.join('×')}): it was not drawn on this scan. Import it as a segmentation of ` +
        'the scan it was drawn on, or resample it onto this scan first.',
    );
  }
  return unpermuteVoxels(labels, grid, plan, new Uint8Array(labels.length));
}

/** Label values as bytes; a label map whose values do not fit 1..255 cannot be shown. */
export function toLabelBytes(values: FrameSamples): Uint8Array {
  if (values instanceof Uint8Array) return values;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 255) {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        `The label map holds the value ${v}; only whole labels from 0 to 255 can be shown. ` +
          'Renumber its labels (e.g. 1, 2, 4 as in BraTS) and import it again.',
      );
    }
    bytes[i] = v;
  }
  return bytes;
}

/** The distinct non-zero values, ascending. */
export function presentLabels(data: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < data.length; i++) seen[data[i]!] = 1;
  const labels: number[] = [];
  for (let v = 1; v < 256; v++) if (seen[v] === 1) labels.push(v);
  return labels;
}

const sameGrid = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Label volumes for the viewer's overlay. Analysis masks are stored on the scan's voxel grid,
 * which the analysis read frame by frame from the frame service (loadScanVolume), so their order
 * already is frame order; imported NIfTI label maps are read canonically and laid onto the frames.
 */
export function createLabelVolumeService(deps: LabelVolumeDeps): LabelVolumeService {
  async function frameGrid(scanId: string): Promise<FrameGrid> {
    const first = await deps.frames.getFrameInfo(scanId, 0);
    return [first.columns, first.rows, first.frameCount];
  }

  /** The latest analysis that made a mask (its id names the cached volume). */
  function latestMaskAnalysis(scan: Scan): string {
    const analysis = deps.analysis.latest(scan.id);
    if (!analysis.outputs.hasMask)
      throw new AppError(
        'NOT_FOUND',
        'The latest analysis made no mask: its model did not read this series (not applicable).',
      );
    return analysis.id;
  }

  async function analysisMask(
    scan: Scan,
    analysisId: string,
    frameGridOf: Promise<FrameGrid>,
  ): Promise<Uint8Array> {
    const [{ analysis, mask }, grid] = await Promise.all([
      deps.analysis.outputs(scan.id, analysisId),
      frameGridOf,
    ]);
    if (mask === null) {
      throw new AppError(
        'NOT_FOUND',
        "The latest analysis's mask is missing from the data folder: analyse the scan again.",
      );
    }
    // A series that gained or lost slices since the analysis has other frames than its mask.
    if (!sameGrid(analysis.input.dimensions, grid) || mask.length !== grid[0] * grid[1] * grid[2]) {
      throw new AppError(
        'CONFLICT',
        `The scan's frames (${grid.join('×')}) changed since it was analysed ` +
          `(${analysis.input.dimensions.join('×')}): analyse the scan again to see its mask.`,
      );
    }
    return mask;
  }

  /** The segmentation's stored label map file, checked to belong to the scan and to exist. */
  function segmentationFile(scan: Scan, segmentationId: string) {
    const segmentation = deps.derived
      .listSegmentations(scan.id)
      .find((s) => s.id === segmentationId);
    if (segmentation === undefined) {
      throw new AppError(
        'NOT_FOUND',
        'This scan has no such segmentation: it may have been deleted, or it belongs to another scan.',
      );
    }
    const file = deps.files.get(segmentation.fileId);
    if (file === undefined || !deps.blobs.has(file.sha256)) {
      throw new AppError(
        'NOT_FOUND',
        "The segmentation's label map file is missing from the data folder: import it again.",
      );
    }
    return file;
  }

  async function segmentationLabels(
    scan: Scan,
    file: { sha256: string; mimeType: string | null },
    frameGridOf: Promise<FrameGrid>,
  ): Promise<Uint8Array> {
    const source = await deps.blobs.source(file.sha256);
    if (file.mimeType === 'application/dicom') {
      // The SEG's frames are placed on the frames of the images they were drawn on.
      const images = deps.scans.frameInstances(scan.id);
      return deps.imaging.dicomSegLabels(source, images, await frameGridOf);
    }
    // The label map is decoded while the scan's frame grid is looked up (two imaging workers).
    const [volume, grid] = await Promise.all([deps.imaging.loadNiftiVolume(source), frameGridOf]);
    if (volume.samplesPerPixel !== 1) {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        'The segmentation is a colour image, not a label map: it cannot be shown as labels.',
      );
    }
    return canonicalToFrameOrder(toLabelBytes(volume.data), volume.dims, grid, frameGridPlan(scan));
  }

  // Opening the 3D view, the 2D overlay and the Dice comparison all ask for the same volume;
  // decoding a NIfTI label map and laying it onto the frames is the slow part, done once.
  const cache = createLruCache<CachedLabels>({
    maxBytes: deps.cacheBytes ?? 192 * 1024 * 1024,
    maxEntries: 8,
    sizeOf: (labels) => labels.volume.data.byteLength,
  });

  /**
   * A label volume from the cache, or decoded. The key names the scan, the source and what its
   * bytes come from (the analysis, or the stored file's content hash), so a new analysis or
   * another file is a new entry, never a stale one; the checks that the records still exist run
   * on every call, before the cache. The frame grid is looked up while a label map is decoded;
   * a held volume laid on another grid than the scan's now (a series that changed) is decoded
   * again, which also gives that case's own error.
   */
  async function cachedLabels(
    scanId: string,
    source: string,
    isRetry = false,
  ): Promise<CachedLabels> {
    if (!labelSourceSchema.safeParse(source).success) {
      throw new AppError(
        'INVALID_INPUT',
        `Ask for the labels of '${ANALYSIS_LABELS}' or of one of the scan's segmentations (its id).`,
      );
    }
    const scan = deps.scans.get(scanId);
    if (scan === undefined)
      throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
    // What the bytes come from, and how they are decoded when they are not held.
    let contentId: string;
    let decode: (grid: Promise<FrameGrid>) => Promise<Uint8Array>;
    if (source === ANALYSIS_LABELS) {
      const analysisId = latestMaskAnalysis(scan);
      contentId = analysisId;
      decode = (grid) => analysisMask(scan, analysisId, grid);
    } else {
      const file = segmentationFile(scan, source);
      contentId = file.sha256;
      decode = (grid) => segmentationLabels(scan, file, grid);
    }
    const gridNow = frameGrid(scanId);
    // Awaited below in every case; this only keeps a failure from being reported as unhandled
    // while the decode runs.
    gridNow.catch(() => undefined);
    const key = [scanId, source, contentId].join(':');
    const labels = await cache.get(key, async () => {
      const data = await decode(gridNow);
      const grid = await gridNow;
      const info: LabelVolumeInfo = {
        scanId,
        source,
        columns: grid[0],
        rows: grid[1],
        frames: grid[2],
        labels: presentLabels(data),
      };
      return { volume: { info, data } };
    });
    const grid = await gridNow;
    const { info } = labels.volume;
    if (sameGrid([info.columns, info.rows, info.frames], grid)) return labels;
    if (isRetry)
      throw new AppError(
        'CONFLICT',
        "The scan's frames changed while its labels were read: open it again.",
      );
    cache.forget(key);
    return cachedLabels(scanId, source, true);
  }

  return {
    async getVolume(scanId, source) {
      return (await cachedLabels(scanId, source)).volume;
    },
    async getBox(scanId, source) {
      const labels = await cachedLabels(scanId, source);
      if (labels.box === undefined) {
        const { info, data } = labels.volume;
        const grid: Vector3 = [info.columns, info.rows, info.frames];
        const box = nonZeroBox(data, grid);
        labels.box = { info: { ...info, ...box }, data: cropToBox(data, grid, box) };
      }
      return labels.box;
    },
  };
}
