import { AppError } from '../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../inference/inference-engine.js';
import type { ModelRegistry } from '../../inference/model-registry.js';
import type { Logger } from '../../platform/logger.js';
import {
  NO_IMAGE_GATE,
  type GateImage,
  type GateVerdict,
  type ImageGate,
} from '../applicability/image-gate.js';
import { runSequenceGate, type GateReading } from './sequence-gate.js';

/** What each of the gate's labels means for the applicability check. */
const LABEL_MEANING: Record<string, Omit<GateVerdict, 'confidence' | 'isConfident'>> = {
  'brain-flair': {
    looksLike: 'brain MR (FLAIR-like)',
    modality: 'MR',
    bodyPart: 'BRAIN',
    sequence: 'FLAIR',
    isOtherImage: false,
  },
  'brain-t1': {
    looksLike: 'brain MR (T1-like)',
    modality: 'MR',
    bodyPart: 'BRAIN',
    sequence: 'T1',
    isOtherImage: false,
  },
  'brain-t1c': {
    looksLike: 'brain MR (T1 post-contrast-like)',
    modality: 'MR',
    bodyPart: 'BRAIN',
    sequence: 'T1-POST-CONTRAST',
    isOtherImage: false,
  },
  'chest-xray': {
    looksLike: 'a chest radiograph',
    modality: 'CR',
    bodyPart: 'CHEST',
    sequence: null,
    isOtherImage: false,
  },
  other: {
    looksLike: 'neither a brain MR slice nor a chest radiograph',
    modality: null,
    bodyPart: null,
    sequence: null,
    isOtherImage: true,
  },
};

/**
 * The majority of the gate's readings of a series' central slices. Confident only when more
 * than half of the slices agree and their mean probability for that label reaches the gate's
 * threshold; null when no label has a majority.
 */
export function majorityVerdict(
  readings: readonly GateReading[],
  minProbability: number,
): GateVerdict | null {
  const votes = new Map<string, number>();
  for (const r of readings) votes.set(r.label, (votes.get(r.label) ?? 0) + 1);
  const [label, count] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (count * 2 <= readings.length) return null;
  const meaning = LABEL_MEANING[label];
  if (meaning === undefined) return null;
  const confidence =
    readings.reduce((sum, r) => sum + (r.probabilities[label] ?? 0), 0) / readings.length;
  return { ...meaning, confidence, isConfident: confidence >= minProbability };
}

/**
 * The learned image gate of models/sequence-gate behind the ImageGate seam. A gate that cannot
 * be loaded or run is logged and answers null: the analysis then rests on the DICOM attributes,
 * as it did before the gate existed, rather than failing.
 */
export function createSequenceImageGate(deps: {
  engine: InferenceEngine;
  manifest: ModelManifest;
  logger?: Logger;
}): ImageGate {
  const { engine, manifest } = deps;
  return {
    async read(image: GateImage, signal?: AbortSignal): Promise<GateVerdict | null> {
      try {
        await engine.prepare(manifest.id);
        const readings: GateReading[] = [];
        for (const slice of await image.slices()) {
          if (signal?.aborted === true)
            throw new AppError('CANCELLED', 'The analysis was cancelled.');
          readings.push(
            await runSequenceGate({
              engine,
              manifest,
              image: { pixels: slice.pixels, width: slice.columns, height: slice.rows },
            }),
          );
        }
        return majorityVerdict(readings, manifest.thresholds['minProbability'] ?? 0.5);
      } catch (error) {
        if (error instanceof AppError && error.code === 'CANCELLED') throw error;
        deps.logger?.warn('The image gate could not run; only DICOM attributes were checked', {
          model: manifest.id,
          error: error instanceof Error ? error.message : String(error),
        });
        return null;
      }
    },
  };
}

/** How many series' verdicts are kept (a folder of slices is analysed picture by picture). */
const SERIES_REMEMBERED = 32;

/** The installed image gate (the model whose manifest's task is "image-gate"), or null. */
function installedGateManifest(registry: ModelRegistry): ModelManifest | null {
  for (const id of registry.ids()) {
    try {
      const manifest = registry.manifest(id);
      if (manifest.task === 'image-gate') return manifest;
    } catch {
      // A broken manifest is reported where that model is used; it is no gate.
    }
  }
  return null;
}

/**
 * The image gate the app uses: the installed image-gate model, looked up at each analysis (a
 * model installed or removed later counts); without one, only DICOM attributes are checked.
 */
export function imageGateFromRegistry(deps: {
  registry: ModelRegistry;
  engine: InferenceEngine;
  logger?: Logger;
}): ImageGate {
  // The verdict of each recent series of pictures, so that a folder of slices is read once.
  const bySeries = new Map<string, Promise<GateVerdict | null>>();
  return {
    read(image, signal) {
      const manifest = installedGateManifest(deps.registry);
      if (manifest === null) return NO_IMAGE_GATE.read(image, signal);
      const gate = createSequenceImageGate({ ...deps, manifest });
      if (image.seriesKey === null) return gate.read(image, signal);
      const key = `${manifest.id}@${manifest.sha256}:${image.seriesKey}`;
      let verdict = bySeries.get(key);
      if (verdict === undefined) {
        // Not cancelled with the first picture's job: other pictures of the series wait on it too.
        verdict = gate.read(image);
        bySeries.set(key, verdict);
        verdict.catch(() => bySeries.delete(key));
        if (bySeries.size > SERIES_REMEMBERED) bySeries.delete(bySeries.keys().next().value!);
      }
      return verdict;
    },
  };
}
