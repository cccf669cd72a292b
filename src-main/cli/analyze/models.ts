import type { MethodOutput } from '../../../src-shared/contract/methods.js';
import { AppError } from '../../../src-shared/errors.js';
import { DEFAULT_CLASSIFICATION_MODEL, DEFAULT_SEGMENTATION_MODEL } from '../../core/index.js';

type InstalledModel = MethodOutput<'models.list'>[number];
type Task = 'segmentation' | 'classification';

export interface ModelRef {
  id: string;
  version: string;
}

export interface ChosenModels {
  segmentation: ModelRef;
  /** null: no tumour type (--classifier none, or the default classifier is not installed). */
  classification: ModelRef | null;
  /** Said on stderr: why there will be no classification although none was asked to be skipped. */
  warnings: string[];
}

function describeInstalled(models: readonly InstalledModel[], task: Task): string {
  const ids = models.filter((m) => m.usable && m.task === task).map((m) => m.id);
  return ids.length === 0
    ? `No ${task} model is installed.`
    : `Installed ${task} models: ${ids.join(', ')}.`;
}

/** The model as the registry reports it, or MODEL_UNAVAILABLE with the registry's reason. */
function usableModel(
  models: readonly InstalledModel[],
  id: string,
  task: Task,
  option: string,
): ModelRef {
  const found = models.find((m) => m.id === id);
  if (found === undefined)
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model "${id}" is not installed. ${describeInstalled(models, task)} ` +
        `Pick one with ${option}, or point NEUROSPHERE_MODELS_DIR at the folder that holds it.`,
      { modelId: id },
    );
  if (!found.usable)
    throw new AppError('MODEL_UNAVAILABLE', found.problem ?? `Model "${id}" cannot be used.`, {
      modelId: id,
    });
  if (found.task !== task)
    throw new AppError(
      'INVALID_INPUT',
      `Model "${id}" is a ${found.task} model; ${option} needs a ${task} model. ${describeInstalled(models, task)}`,
    );
  return { id: found.id, version: found.version };
}

/**
 * Checks the models before anything is imported or analysed: a mistyped --model must not leave
 * every scan marked "failed". The job checks again when it loads them (files can change).
 */
export function chooseModels(
  installed: readonly InstalledModel[],
  requested: { model: string | undefined; classifier: string | null | undefined },
): ChosenModels {
  const segmentation = usableModel(
    installed,
    requested.model ?? DEFAULT_SEGMENTATION_MODEL,
    'segmentation',
    '--model',
  );
  if (requested.classifier === null) return { segmentation, classification: null, warnings: [] };
  if (requested.classifier !== undefined)
    return {
      segmentation,
      classification: usableModel(
        installed,
        requested.classifier,
        'classification',
        '--classifier',
      ),
      warnings: [],
    };
  // Not asked for by name: the segmentation stands on its own, so a missing default only warns.
  try {
    return {
      segmentation,
      classification: usableModel(
        installed,
        DEFAULT_CLASSIFICATION_MODEL,
        'classification',
        '--classifier',
      ),
      warnings: [],
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      segmentation,
      classification: null,
      warnings: [`No tumour type will be given: ${why}`],
    };
  }
}
