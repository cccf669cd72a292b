import { AppError } from '../../../../../src-shared/errors.js';
import { toDisplayScale } from '../../classify/classify-image.js';
import { heatmapRgb, overlayRgb } from '../../output/heatmap-colours.js';
import { encodePng } from '../../output/png-encoder.js';
import { loadScanVolume, type ScanVolume } from '../../pipeline/scan-volume.js';
import type {
  AnalysisPipeline,
  PipelineContext,
  PipelineOutput,
  PipelineRun,
} from '../pipeline.js';
import { reduceForDisplay } from './preprocess.js';
import { chestXrayQualityNotes } from './quality.js';
import { chestXrayStatement, readRadiograph } from './read-radiograph.js';

const PNEUMONIA = 'chest-xray-pneumonia';
/** Longest side of the stored heatmap and overlay: enough to see, small enough to store. */
const OUTPUT_MAX_SIDE = 1024;

interface LoadedRadiograph {
  source: ScanVolume;
  /** The first frame on the 0..1 display scale (MONOCHROME1 already inverted). */
  display: Float32Array;
  rows: number;
  columns: number;
  /** The picture the gate reads and the heatmap is drawn on (longest side ≤ 1024). */
  shown: { pixels: Float32Array; rows: number; columns: number };
  loadMs: number;
}

async function load(context: PipelineContext): Promise<LoadedRadiograph> {
  const started = performance.now();
  // Sizes are checked against the image limits before anything is decoded (loadScanVolume).
  const source = await loadScanVolume(context.deps.frames, context.scan, context.signal);
  const [columns, rows] = source.volume.dims;
  const display = toDisplayScale(source.volume.data.subarray(0, rows * columns), source.isEightBit);
  return {
    source,
    display,
    rows,
    columns,
    shown: reduceForDisplay(display, rows, columns, OUTPUT_MAX_SIDE),
    loadMs: performance.now() - started,
  };
}

function startRun(context: PipelineContext): PipelineRun {
  let loaded: LoadedRadiograph | null = null;
  return {
    async load() {
      context.report(0.02, 'Reading the radiograph');
      loaded = await load(context);
      const { shown } = loaded;
      return { seriesKey: null, isThreeD: false, slices: () => Promise.resolve([shown]) };
    },

    async analyse(): Promise<PipelineOutput> {
      if (loaded === null) throw new Error('analyse() before load()');
      const radiograph = loaded;
      const model = context.models.get(PNEUMONIA);
      if (model === undefined)
        throw new AppError(
          'MODEL_UNAVAILABLE',
          'No chest X-ray model was loaded: install models/chest-xray-pneumonia.',
        );
      if (context.signal?.aborted === true)
        throw new AppError('CANCELLED', 'The analysis was cancelled.');
      context.report(0.3, 'Reading the chest radiograph');
      const { shown } = radiograph;
      const reading = await readRadiograph({
        engine: context.deps.engine,
        manifest: model.manifest,
        display: radiograph.display,
        rows: radiograph.rows,
        columns: radiograph.columns,
        outRows: shown.rows,
        outColumns: shown.columns,
      });

      context.report(0.85, 'Drawing the heatmap');
      const started = performance.now();
      const grey = Uint8Array.from(shown.pixels, (v) => Math.round(v * 255));
      const heatmapPng = encodePng(heatmapRgb(reading.heatmap), shown.columns, shown.rows, 3);
      const overlayPng = encodePng(overlayRgb(grey, reading.heatmap), shown.columns, shown.rows, 3);
      const qualityNotes = chestXrayQualityNotes({
        display: radiograph.display,
        rows: radiograph.rows,
        columns: radiograph.columns,
        wasInverted: radiograph.source.isInverted,
      });
      const statement = chestXrayStatement(reading);
      const { scan } = context;
      const frames = radiograph.source.volume.dims[2];
      const notes = [
        statement,
        frames > 1 ? `Only the first of the ${frames} frames was read.` : '',
        reading.wasReduced
          ? `The ${radiograph.columns}×${radiograph.rows} image was reduced to the model's input size by averaging before it was read.`
          : '',
        model.fallbackReason ?? '',
        'Trained on radiographs of children aged 1–5; pneumonia only: other findings are not detected.',
      ].filter((n) => n !== '');
      return {
        findings: {
          kind: 'chest-xray',
          label: reading.label,
          probabilities: reading.probabilities,
          threshold: reading.threshold,
          qualityNotes,
          statement,
        },
        models: {
          segmentation: null,
          classification: { id: model.manifest.id, version: model.manifest.version },
        },
        provider: model.provider,
        providerNote: model.fallbackReason,
        notes,
        imageQuality: {
          score: Math.max(0, 1 - 0.2 * qualityNotes.length),
          issues: qualityNotes.map((n) => n.message),
        },
        input: {
          format: scan.format,
          dimensions: [radiograph.columns, radiograph.rows, frames],
          voxelSizes:
            scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1], scan.spacing[2] ?? 1],
          units: scan.spacing === null ? 'pixels' : 'mm',
        },
        timings: {
          loadMs: radiograph.loadMs,
          preprocessMs: reading.timings.preprocessMs,
          inferenceMs: reading.timings.inferenceMs,
          postprocessMs: reading.timings.postprocessMs + performance.now() - started,
        },
        mask: null,
        heatmapPng,
        overlayPng,
      };
    },
  };
}

/**
 * Chest radiograph (CR/DX, or a PNG/JPEG the image gate recognises as one): normal vs
 * pneumonia with calibrated probabilities, the class activation heatmap and quality notes.
 */
export const chestXrayPipeline: AnalysisPipeline = {
  id: 'chest-xray',
  findingsKind: 'chest-xray',
  scope: { modalities: ['CR', 'DX'], bodyParts: ['CHEST'] },
  roles: [
    { role: PNEUMONIA, task: 'classification', isRequired: true, gives: 'pneumonia reading' },
  ],
  start: startRun,
};
