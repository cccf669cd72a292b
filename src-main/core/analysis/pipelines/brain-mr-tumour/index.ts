import { AppError } from '../../../../../src-shared/errors.js';
import type { LoadedModel } from '../../../inference/inference-engine.js';
import { assessImageQuality } from '../../image-quality.js';
import { assessTumourType } from '../../classify/tumour-type-assessment.js';
import { maskToSourceOrder } from '../../pipeline/reorient.js';
import type {
  AnalysisPipeline,
  PipelineContext,
  PipelineOutput,
  PipelineRun,
} from '../pipeline.js';
import * as stage from './stages.js';

const SEGMENTATION = 'tumour-segmentation';
const TUMOUR_TYPE = 'tumour-type';

function modelOf(context: PipelineContext, role: string): LoadedModel {
  const model = context.models.get(role);
  if (model === undefined)
    throw new AppError('MODEL_UNAVAILABLE', `No model was loaded for the ${role} role.`);
  return model;
}

function startRun(context: PipelineContext): PipelineRun {
  let loaded: stage.LoadedScan | null = null;
  return {
    async load() {
      context.report(0.02, 'Reading images');
      loaded = await stage.load(context);
      const [nx, ny, nz] = loaded.volume.dims;
      const scan = loaded;
      // A picture exported from a series is judged with its series (an edge slice alone may not
      // look like a brain); a volume by its central slices.
      const series = scan.source.isSingleImage ? context.normaliseWith : [];
      if (series.length > 1)
        return {
          seriesKey: [...series].sort().join(','),
          isThreeD: false,
          slices: () => stage.seriesGateSlices(context, series),
        };
      return {
        seriesKey: null,
        isThreeD: !scan.source.isSingleImage,
        slices: () =>
          Promise.resolve(
            stage
              .centralSlices(nz)
              .map((k) => ({ pixels: stage.displaySlice(scan, k), rows: ny, columns: nx })),
          ),
      };
    },

    async analyse(): Promise<PipelineOutput> {
      if (loaded === null) throw new Error('analyse() before load()');
      const scan = loaded;
      const segmenter = modelOf(context, SEGMENTATION);
      const classifier = context.models.get(TUMOUR_TYPE) ?? null;
      const { windowSamples, siblingCount } = await stage.preprocess(context, scan);
      const segmentation = await stage.infer(context, segmenter.manifest, scan, windowSamples);

      context.report(0.82, 'Measuring');
      let started = performance.now();
      const { mask, minComponentVoxels } = stage.postprocess(
        segmenter.manifest,
        segmentation.probabilities,
        scan.volume.dims,
      );
      const labels = segmenter.manifest.labels;
      const measured = stage.measure({
        scan: context.scan,
        loaded: scan,
        mask,
        probabilities: segmentation.probabilities,
        minComponentVoxels,
        label: labels[labels.length - 1]!,
      });
      let postprocessMs = segmentation.timings.postprocessMs + performance.now() - started;

      let explained: Awaited<ReturnType<typeof stage.explain>> | null = null;
      if (classifier !== null) {
        context.report(0.88, 'Classifying tumour type');
        explained = await stage.explain({
          engine: context.deps.engine,
          manifest: classifier.manifest,
          loaded: scan,
          mask,
        });
        postprocessMs += explained.timings.postprocessMs + explained.pngMs;
      }
      started = performance.now();
      const { units, ...findings } = measured;
      const classification = explained?.classification ?? null;
      const tumourType = assessTumourType({
        tumourDetected: findings.tumourDetected,
        probabilities: classification?.probabilities ?? null,
        notRunReason: context.skipped.get(TUMOUR_TYPE) ?? null,
      });
      const notes = [
        findings.detections.length === 0
          ? 'No tumour was found.'
          : `${findings.detections.length} lesion${findings.detections.length === 1 ? '' : 's'} found.`,
        units === 'pixels' ? 'The image has no pixel size: measurements are in pixels.' : '',
        siblingCount > 0
          ? `Intensities were normalised over this image and ${siblingCount} other slice${siblingCount === 1 ? '' : 's'} of its series.`
          : '',
        segmenter.fallbackReason ?? '',
        tumourType?.statement ?? '',
        tumourType?.disagreement ?? '',
      ].filter((n) => n !== '');
      return {
        findings: {
          kind: 'brain-tumour',
          ...findings,
          classification,
          ...(tumourType !== null && { tumourType }),
        },
        models: {
          segmentation: { id: segmenter.manifest.id, version: segmenter.manifest.version },
          classification:
            classifier === null
              ? null
              : { id: classifier.manifest.id, version: classifier.manifest.version },
        },
        provider: segmenter.provider,
        providerNote: segmenter.fallbackReason,
        notes,
        imageQuality: assessImageQuality(scan.volume, scan.source.isSingleImage),
        input: {
          format: context.scan.format,
          dimensions: [...scan.source.volume.dims],
          voxelSizes:
            context.scan.spacing === null
              ? null
              : [context.scan.spacing[0], context.scan.spacing[1], context.scan.spacing[2] ?? 1],
          units,
        },
        timings: {
          loadMs: scan.loadMs,
          preprocessMs: segmentation.timings.preprocessMs + (explained?.timings.preprocessMs ?? 0),
          inferenceMs: segmentation.timings.inferenceMs + (explained?.timings.inferenceMs ?? 0),
          postprocessMs: postprocessMs + performance.now() - started,
        },
        mask: maskToSourceOrder(mask, scan.source.volume.dims, scan.plan),
        heatmapPng: explained?.heatmapPng ?? null,
        overlayPng: explained?.overlayPng ?? null,
      };
    },
  };
}

/**
 * Brain MR: tumour segmentation of every axial slice, lesion measurements in millimetres, and
 * the tumour type of the most affected slice with its class activation heatmap.
 */
export const brainMrTumourPipeline: AnalysisPipeline = {
  id: 'brain-mr-tumour',
  findingsKind: 'brain-tumour',
  scope: { modalities: ['MR'], bodyParts: ['BRAIN', 'HEAD', 'SKULL'] },
  roles: [
    { role: SEGMENTATION, task: 'segmentation', isRequired: true, gives: 'tumour segmentation' },
    { role: TUMOUR_TYPE, task: 'classification', isRequired: false, gives: 'tumour type' },
  ],
  start: startRun,
};
