import { readFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Analysis, Detection } from '../../../src-shared/contract/analysis.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { EventBus } from '../events.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { InferenceEngine, LoadedModel } from '../inference/inference-engine.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { AnalysesRepo } from './analyses-repo.js';
import type { ScanStatusOwner } from '../scans/scan-status.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import { classifyImage, toDisplayScale, type Classification } from './classify/classify-image.js';
import { assessImageQuality } from './image-quality.js';
import { modelAgreementNote } from './model-agreement.js';
import { extractDetections, formatDetectionSize, summarise } from './metrics/index.js';
import { encodePng } from './output/png-encoder.js';
import { heatmapRgb, overlayRgb } from './output/heatmap-colours.js';
import { maskToSourceOrder, reorientToLps } from './pipeline/reorient.js';
import { removeSmallPerSlice } from './pipeline/postprocess.js';
import { loadScanVolume } from './pipeline/scan-volume.js';
import { segmentVolume, thresholdMask } from './pipeline/segment-volume.js';
import type { Volume } from './pipeline/volume.js';

export const DEFAULT_SEGMENTATION_MODEL = 'lgg-flair-unet';
export const DEFAULT_CLASSIFICATION_MODEL = 'brain-tumour-4class';

export interface AnalyseOptions {
  segmentationModel?: string | undefined;
  /** null: do not classify. */
  classificationModel?: string | null | undefined;
  jobId?: string | undefined;
  /** Who asked for the analysis (the user who started its job): the stored result is audited under this name. */
  actor?: string | null | undefined;
  /**
   * Other 2D images of the same series (e.g. a folder of PNG slices exported from one scan):
   * the intensity window is computed over all of them, as the model was trained per volume.
   */
  normaliseWith?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (progress: number, stage: string) => void;
}

export interface AnalysisArtifacts {
  analysis: Analysis;
  /** 0/1 mask on the scan's own voxel grid (x fastest). */
  mask: Uint8Array;
  /** PNGs of the classified slice, when a classifier ran. */
  heatmapPng: Buffer | null;
  overlayPng: Buffer | null;
}

export interface AnalysisDeps {
  /** The one write point of clinical data: the result row, its audit and outbox entries. */
  writer: ClinicalWriter;
  /** The one owner of the scan's status. */
  scanStatus: ScanStatusOwner;
  scans: ScansRepo;
  analyses: AnalysesRepo;
  frames: FrameService;
  engine: InferenceEngine;
  registry: ModelRegistry;
  blobs: BlobStore;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
}

function toContractDetection(d: ReturnType<typeof extractDetections>[number]): Detection {
  return {
    detectionId: d.detectionId,
    class: 'tumour',
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

/** The axial slice with the most tumour voxels, or the middle slice when there is none. */
function sliceToClassify(mask: Uint8Array, dims: Volume['dims']): number {
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

function greyBytes(display: Float32Array): Uint8Array {
  return Uint8Array.from(display, (v) => Math.round(v * 255));
}

/**
 * Analyses one scan end to end: read the images, segment every axial slice, measure each
 * lesion in millimetres, classify the most affected slice with a heatmap, and store the result.
 */
export function createAnalysisService(deps: AnalysisDeps) {
  /** This image's voxels followed by those of its sibling images (same series, other slices). */
  async function seriesSamples(
    own: Float32Array,
    siblingIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    const parts: Float32Array[] = [own];
    for (const id of siblingIds) {
      const sibling = deps.scans.get(id);
      if (sibling === undefined)
        throw new AppError('NOT_FOUND', `Scan ${id}, named to normalise with, does not exist.`);
      parts.push((await loadScanVolume(deps.frames, sibling, signal)).volume.data);
    }
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      offset += part.length;
    }
    return all;
  }

  async function run(scanId: string, options: AnalyseOptions = {}): Promise<AnalysisArtifacts> {
    const report = options.onProgress ?? (() => undefined);
    const totalStart = performance.now();
    const scan = deps.scans.get(scanId);
    if (scan === undefined)
      throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
    const segId = options.segmentationModel ?? DEFAULT_SEGMENTATION_MODEL;
    const clsId =
      options.classificationModel === undefined
        ? DEFAULT_CLASSIFICATION_MODEL
        : options.classificationModel;

    report(0, 'Loading models');
    const segmenter: LoadedModel = await deps.engine.prepare(segId);
    if (segmenter.manifest.task !== 'segmentation')
      throw new AppError('INVALID_INPUT', `Model ${segId} is not a segmentation model.`);
    let classifier: LoadedModel | null = null;
    let classifierNote: string | null = null;
    if (clsId !== null) {
      try {
        classifier = await deps.engine.prepare(clsId);
      } catch (error) {
        // Without the classifier the segmentation still stands; say why there is no tumour type.
        classifierNote =
          error instanceof AppError
            ? error.message
            : 'The classification model could not be loaded.';
      }
    }

    report(0.02, 'Reading images');
    let started = performance.now();
    const source = await loadScanVolume(deps.frames, scan, options.signal);
    const { volume, plan } = reorientToLps(source.volume);
    const loadMs = performance.now() - started;

    const siblings = source.isSingleImage
      ? (options.normaliseWith ?? []).filter((id) => id !== scanId)
      : [];
    const windowSamples =
      siblings.length === 0
        ? undefined
        : await seriesSamples(volume.data, siblings, options.signal);

    const segmentation = await segmentVolume({
      engine: deps.engine,
      manifest: segmenter.manifest,
      volume,
      windowSamples,
      signal: options.signal,
      onProgress: (done, total) =>
        report(0.05 + 0.75 * (done / total), `Segmenting: batch ${done} of ${total}`),
    });

    report(0.82, 'Measuring');
    started = performance.now();
    const thresholds = segmenter.manifest.thresholds;
    const minPixels = thresholds['minComponentPixels'] ?? 10;
    const mask = removeSmallPerSlice(
      thresholdMask(segmentation.probabilities, thresholds['probability'] ?? 0.5),
      volume.dims,
      minPixels,
    );
    const spacing = source.isSingleImage && scan.spacing === null ? null : volume.spacing;
    const measured = extractDetections({
      mask,
      dims: volume.dims,
      spacing,
      probabilities: segmentation.probabilities,
      minComponentVoxels: minPixels,
      brainMask: volume.data,
    });
    const detections = measured.map(toContractDetection);
    const summary = summarise(measured);
    let measureMs = performance.now() - started;

    let classification: Analysis['classification'] = null;
    let heatmapPng: Buffer | null = null;
    let overlayPng: Buffer | null = null;
    let classifierMs = { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 };
    if (classifier !== null) {
      report(0.88, 'Classifying tumour type');
      const k = sliceToClassify(mask, volume.dims);
      const [nx, ny] = volume.dims;
      const slice = volume.data.subarray(k * nx * ny, (k + 1) * nx * ny);
      const display = toDisplayScale(slice, source.isEightBit);
      const result: Classification = await classifyImage({
        engine: deps.engine,
        manifest: classifier.manifest,
        image: display,
        rows: ny,
        columns: nx,
      });
      classification = {
        label: result.label,
        confidence: result.confidence,
        probabilities: result.probabilities,
        slice: k,
      };
      classifierMs = result.timings;
      started = performance.now();
      heatmapPng = encodePng(heatmapRgb(result.heatmap), nx, ny, 3);
      overlayPng = encodePng(overlayRgb(greyBytes(display), result.heatmap), nx, ny, 3);
      measureMs += performance.now() - started;
    }

    const largest = detections[0];
    let maxProbability = 0;
    for (const p of segmentation.probabilities) if (p > maxProbability) maxProbability = p;
    const notes = [
      detections.length === 0
        ? 'No tumour was found.'
        : `${detections.length} lesion${detections.length === 1 ? '' : 's'} found.`,
      spacing === null ? 'The image has no pixel size: measurements are in pixels.' : '',
      siblings.length > 0
        ? `Intensities were normalised over this image and ${siblings.length} other slice${siblings.length === 1 ? '' : 's'} of its series.`
        : '',
      segmenter.fallbackReason ?? '',
      classifierNote ?? '',
      modelAgreementNote(detections.length > 0, classification?.label ?? null) ?? '',
      'Automatic result for research and decision support: a radiologist must review it.',
    ].filter((n) => n !== '');
    const analysis: Analysis = {
      id: deps.ids(),
      scanId,
      jobId: options.jobId ?? null,
      createdAt: deps.clock.iso(),
      models: {
        segmentation: { id: segmenter.manifest.id, version: segmenter.manifest.version },
        classification:
          classifier === null
            ? null
            : { id: classifier.manifest.id, version: classifier.manifest.version },
      },
      provider: segmenter.provider,
      providerNote: segmenter.fallbackReason,
      tumorDetected: detections.length > 0,
      location: largest?.location.description ?? null,
      size: largest?.size ?? null,
      notes: notes.join(' '),
      overallConfidence: detections.length > 0 ? summary.averageConfidence : 1 - maxProbability,
      imageQuality: assessImageQuality(volume, source.isSingleImage),
      input: {
        format: scan.format,
        dimensions: [...source.volume.dims],
        voxelSizes:
          scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1], scan.spacing[2] ?? 1],
        units: spacing === null ? 'pixels' : 'mm',
      },
      detections,
      summary,
      classification,
      timings: {
        loadMs,
        preprocessMs: segmentation.timings.preprocessMs + classifierMs.preprocessMs,
        inferenceMs: segmentation.timings.inferenceMs + classifierMs.inferenceMs,
        postprocessMs: segmentation.timings.postprocessMs + classifierMs.postprocessMs + measureMs,
        totalMs: 0,
      },
      outputs: { hasMask: true, hasHeatmap: heatmapPng !== null, hasOverlay: overlayPng !== null },
    };
    analysis.timings.totalMs = performance.now() - totalStart;
    return {
      analysis,
      mask: maskToSourceOrder(mask, source.volume.dims, plan),
      heatmapPng,
      overlayPng,
    };
  }

  return {
    /** Runs the analysis and stores it: result row, mask and heatmap blobs, scan status. */
    async analyseAndStore(
      scanId: string,
      options: AnalyseOptions = {},
    ): Promise<AnalysisArtifacts> {
      const artifacts = await run(scanId, options);
      if (options.signal?.aborted === true)
        throw new AppError('CANCELLED', 'The analysis was cancelled.');
      options.onProgress?.(0.96, 'Saving results');
      const mask = await deps.blobs.putBuffer(gzipSync(artifacts.mask));
      const heatmap =
        artifacts.heatmapPng === null ? null : await deps.blobs.putBuffer(artifacts.heatmapPng);
      const overlay =
        artifacts.overlayPng === null ? null : await deps.blobs.putBuffer(artifacts.overlayPng);
      const actor = options.actor ?? null;
      deps.writer.write(actor, 'analysis.store', () => {
        const { analysis } = artifacts;
        deps.analyses.insert(analysis, {
          maskSha256: mask.sha256,
          heatmapSha256: heatmap?.sha256 ?? null,
          overlaySha256: overlay?.sha256 ?? null,
        });
        deps.scanStatus.set(scanId, 'completed', actor);
        return {
          result: undefined,
          target: scanId,
          details: { analysisId: analysis.id, jobId: analysis.jobId },
          changes: [{ entity: 'analysis', id: analysis.id, op: 'create', payload: analysis }],
        };
      });
      return artifacts;
    },

    /** The stored outputs of the latest analysis: mask on the scan's voxel grid, heatmap and overlay PNGs. */
    async outputs(scanId: string): Promise<{
      analysis: Analysis;
      mask: Uint8Array | null;
      heatmapPng: Buffer | null;
      overlayPng: Buffer | null;
    }> {
      const found = deps.analyses.latestOfScan(scanId);
      if (found === undefined)
        throw new AppError('NOT_FOUND', 'This scan has not been analysed yet.');
      const read = async (sha256: string | null): Promise<Buffer | null> =>
        sha256 === null || !deps.blobs.has(sha256) ? null : readFile(deps.blobs.pathOf(sha256));
      const mask = await read(found.blobs.maskSha256);
      return {
        analysis: found.analysis,
        mask: mask === null ? null : new Uint8Array(gunzipSync(mask)),
        heatmapPng: await read(found.blobs.heatmapSha256),
        overlayPng: await read(found.blobs.overlaySha256),
      };
    },

    latest(scanId: string): Analysis {
      const found = deps.analyses.latestOfScan(scanId);
      if (found === undefined)
        throw new AppError('NOT_FOUND', 'This scan has not been analysed yet.');
      return found.analysis;
    },
  };
}
export type AnalysisService = ReturnType<typeof createAnalysisService>;
