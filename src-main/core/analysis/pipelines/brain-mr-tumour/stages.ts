import type {
  BrainTumourFindings,
  Detection,
} from '../../../../../src-shared/contract/analysis.js';
import type { Scan } from '../../../../../src-shared/contract/entities.js';
import { AppError } from '../../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../../inference/inference-engine.js';
import {
  classifyImage,
  toDisplayScale,
  type Classification,
} from '../../classify/classify-image.js';
import { extractDetections, formatDetectionSize, summarise } from '../../metrics/index.js';
import { heatmapRgb, overlayRgb } from '../../output/heatmap-colours.js';
import { encodePng } from '../../output/png-encoder.js';
import { removeSmallPerSlice } from '../../pipeline/postprocess.js';
import { reorientToLps, type AxisPlan } from '../../pipeline/reorient.js';
import { loadScanVolume, type ScanVolume } from '../../pipeline/scan-volume.js';
import {
  segmentVolume,
  thresholdMask,
  type SegmentationOutput,
} from '../../pipeline/segment-volume.js';
import type { Volume } from '../../pipeline/volume.js';
import type { GateSlice } from '../../applicability/image-gate.js';
import type { PipelineContext } from '../pipeline.js';

type Measured = ReturnType<typeof extractDetections>;

/** The scan's images, reoriented so that the third axis runs foot to head (axial slices). */
export interface LoadedScan {
  source: ScanVolume;
  volume: Volume;
  plan: AxisPlan;
  loadMs: number;
}

/** load: every frame of the scan as one float volume, in LPS axial order. */
export async function load(context: PipelineContext): Promise<LoadedScan> {
  const started = performance.now();
  const source = await loadScanVolume(context.deps.frames, context.scan, context.signal);
  const { volume, plan } = reorientToLps(source.volume);
  return { source, volume, plan, loadMs: performance.now() - started };
}

function concatenate(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/**
 * preprocess: the samples the intensity window is computed over. A 2D slice exported from a
 * series is normalised over its sibling slices too, as the model was trained per volume.
 */
export async function preprocess(
  context: PipelineContext,
  loaded: LoadedScan,
): Promise<{ windowSamples: Float32Array | undefined; siblingCount: number }> {
  const siblingIds = loaded.source.isSingleImage
    ? context.normaliseWith.filter((id) => id !== context.scan.id)
    : [];
  if (siblingIds.length === 0) return { windowSamples: undefined, siblingCount: 0 };
  const parts: Float32Array[] = [loaded.volume.data];
  for (const id of siblingIds) {
    const sibling = context.deps.scans.get(id);
    if (sibling === undefined)
      throw new AppError('NOT_FOUND', `Scan ${id}, named to normalise with, does not exist.`);
    parts.push((await loadScanVolume(context.deps.frames, sibling, context.signal)).volume.data);
  }
  return { windowSamples: concatenate(parts), siblingCount: siblingIds.length };
}

/** infer: the segmentation model on every axial slice, in batches (per-voxel probabilities). */
export function infer(
  context: PipelineContext,
  manifest: ModelManifest,
  loaded: LoadedScan,
  windowSamples: Float32Array | undefined,
): Promise<SegmentationOutput> {
  return segmentVolume({
    engine: context.deps.engine,
    manifest,
    volume: loaded.volume,
    windowSamples,
    signal: context.signal,
    onProgress: (done, total) =>
      context.report(0.05 + 0.75 * (done / total), `Segmenting: batch ${done} of ${total}`),
  });
}

/** postprocess: threshold the probabilities and drop specks below the manifest's size. */
export function postprocess(
  manifest: ModelManifest,
  probabilities: Float32Array,
  dims: Volume['dims'],
): { mask: Uint8Array; minComponentVoxels: number } {
  const minPixels = manifest.thresholds['minComponentPixels'] ?? 10;
  const mask = removeSmallPerSlice(
    thresholdMask(probabilities, manifest.thresholds['probability'] ?? 0.5),
    dims,
    minPixels,
  );
  return { mask, minComponentVoxels: minPixels };
}

function toContractDetection(d: Measured[number], label: string): Detection {
  return {
    detectionId: d.detectionId,
    class: label,
    confidence: d.confidence,
    voxelCount: d.voxelCount,
    units: d.units,
    boundingBox: {
      voxels: { min: [...d.boundingBox.voxels.min], max: [...d.boundingBox.voxels.max] },
      mm:
        d.boundingBox.mm === null
          ? null
          : {
              min: [...d.boundingBox.mm.min],
              max: [...d.boundingBox.mm.max],
              size: [...d.boundingBox.mm.size],
            },
    },
    centroid: {
      voxels: [...d.centroid.voxels],
      mm: d.centroid.mm === null ? null : [...d.centroid.mm],
    },
    metrics: d.metrics,
    size: formatDetectionSize(d),
    location: {
      approximate: true,
      hemisphere: d.location.hemisphere,
      region: d.location.region,
      description: d.location.description,
    },
  };
}

/** measure: each lesion in millimetres (pixels for a picture without a pixel size). */
export function measure(input: {
  scan: Scan;
  loaded: LoadedScan;
  mask: Uint8Array;
  probabilities: Float32Array;
  minComponentVoxels: number;
  /** The segmentation model's name for what it finds (its last label, e.g. "tumour"). */
  label: string;
}): Omit<BrainTumourFindings, 'kind' | 'classification'> & { units: 'mm' | 'pixels' } {
  const { loaded } = input;
  const spacing =
    loaded.source.isSingleImage && input.scan.spacing === null ? null : loaded.volume.spacing;
  const measured = extractDetections({
    mask: input.mask,
    dims: loaded.volume.dims,
    spacing,
    probabilities: input.probabilities,
    minComponentVoxels: input.minComponentVoxels,
    brainMask: loaded.volume.data,
  });
  const detections = measured.map((d) => toContractDetection(d, input.label));
  const summary = summarise(measured);
  let maxProbability = 0;
  for (const p of input.probabilities) if (p > maxProbability) maxProbability = p;
  const largest = detections[0];
  return {
    tumourDetected: detections.length > 0,
    location: largest?.location.description ?? null,
    size: largest?.size ?? null,
    overallConfidence: detections.length > 0 ? summary.averageConfidence : 1 - maxProbability,
    detections,
    summary,
    units: spacing === null ? 'pixels' : 'mm',
  };
}

/** The axial slice with the most lesion voxels, or the middle slice when there is none. */
export function sliceToClassify(mask: Uint8Array, dims: Volume['dims']): number {
  const plane = dims[0] * dims[1];
  let best = -1;
  let bestCount = 0;
  for (let k = 0; k < dims[2]; k++) {
    let count = 0;
    for (let i = k * plane; i < (k + 1) * plane; i++) count += mask[i]!;
    if (count > bestCount) {
      bestCount = count;
      best = k;
    }
  }
  return best >= 0 ? best : Math.floor(dims[2] / 2);
}

/**
 * The slices an image gate reads: at 40, 50 and 60 % of the stack (one for a 2D picture), so
 * that one odd slice (a gap, the top of the head) does not decide alone.
 */
export function centralSlices(sliceCount: number): number[] {
  const picks = [0.4, 0.5, 0.6].map((f) => Math.min(sliceCount - 1, Math.floor(sliceCount * f)));
  return [...new Set(picks)];
}

/** Fraction of a display-scale slice above 10 %: how much of the picture is anatomy. */
function foregroundFraction(pixels: Float32Array): number {
  let count = 0;
  for (const v of pixels) if (v > 0.1) count++;
  return pixels.length === 0 ? 0 : count / pixels.length;
}

/**
 * The three pictures of a series (scan ids, in no known order) that show the most anatomy: the
 * central slices of the head, whatever order the files came in. One picture is held at a time.
 */
export async function seriesGateSlices(
  context: PipelineContext,
  seriesIds: readonly string[],
): Promise<GateSlice[]> {
  const best: Array<{ slice: GateSlice; foreground: number }> = [];
  for (const id of seriesIds) {
    const scan = context.deps.scans.get(id);
    if (scan === undefined) continue;
    const source = await loadScanVolume(context.deps.frames, scan, context.signal);
    const [columns, rows] = source.volume.dims;
    const pixels = toDisplayScale(
      source.volume.data.subarray(0, rows * columns),
      source.isEightBit,
    );
    best.push({ slice: { pixels, rows, columns }, foreground: foregroundFraction(pixels) });
    best.sort((a, b) => b.foreground - a.foreground);
    best.length = Math.min(best.length, 3);
  }
  return best.map((b) => b.slice);
}

/** The slice a classifier or an image gate reads, in display scale (0..1). */
export function displaySlice(loaded: LoadedScan, k: number): Float32Array {
  const [nx, ny] = loaded.volume.dims;
  const slice = loaded.volume.data.subarray(k * nx * ny, (k + 1) * nx * ny);
  return toDisplayScale(slice, loaded.source.isEightBit);
}

/**
 * explain: the tumour type of the most affected slice, with the class activation heatmap and
 * its overlay on the slice (what the classifier looked at).
 */
export async function explain(input: {
  engine: InferenceEngine;
  manifest: ModelManifest;
  loaded: LoadedScan;
  mask: Uint8Array;
}): Promise<{
  classification: NonNullable<BrainTumourFindings['classification']>;
  heatmapPng: Buffer;
  overlayPng: Buffer;
  timings: Classification['timings'];
  pngMs: number;
}> {
  const { loaded } = input;
  const k = sliceToClassify(input.mask, loaded.volume.dims);
  const [nx, ny] = loaded.volume.dims;
  const display = displaySlice(loaded, k);
  const result = await classifyImage({
    engine: input.engine,
    manifest: input.manifest,
    image: display,
    rows: ny,
    columns: nx,
  });
  const started = performance.now();
  const grey = Uint8Array.from(display, (v) => Math.round(v * 255));
  const heatmapPng = encodePng(heatmapRgb(result.heatmap), nx, ny, 3);
  const overlayPng = encodePng(overlayRgb(grey, result.heatmap), nx, ny, 3);
  return {
    classification: {
      label: result.label,
      confidence: result.confidence,
      probabilities: result.probabilities,
      slice: k,
    },
    heatmapPng,
    overlayPng,
    timings: result.timings,
    pngMs: performance.now() - started,
  };
}
