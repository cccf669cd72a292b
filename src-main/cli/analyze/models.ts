import type { MethodOutput } from '../../../src-shared/contract/methods.js';
import { AppError } from '../../../src-shared/errors.js';
import { brainMrTumourPipeline } from '../../core/index.js';

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
 * The installed model its manifest marks as the default for this task in the brain pipeline
 * (the role the core chooses it for): other pipelines (chest X-ray) have defaults of the same
 * task for their own roles. No model id is written in code.
 */
function defaultId(models: readonly InstalledModel[], task: Task): string | null {
  const role = brainMrTumourPipeline.roles.find((r) => r.task === task)?.role;
  const defaults = models.filter((m) => m.isDefault && m.task === task);
  return (defaults.find((m) => m.role === role) ?? defaults[0])?.id ?? null;
}

/**
 * Checks the models before anything is imported or analysed: a mistyped --model must not leave
 * every scan marked "failed". The job checks again when it loads them (files can change).
 */
export function chooseModels(
  installed: readonly InstalledModel[],
  requested: { model: string | undefined; classifier: string | null | undefined },
): ChosenModels {
  const segmentationId = requested.model ?? defaultId(installed, 'segmentation');
  if (segmentationId === null)
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `No segmentation model is marked as the default in its manifest. ${describeInstalled(installed, 'segmentation')} ` +
        'Name one with --model, or point NEUROSPHERE_MODELS_DIR at the folder that holds the models.',
    );
  const segmentation = usableModel(installed, segmentationId, 'segmentation', '--model');
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
    const classificationId = defaultId(installed, 'classification');
    if (classificationId === null)
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `no classification model is marked as the default. ${describeInstalled(installed, 'classification')}`,
      );
    return {
      segmentation,
      classification: usableModel(installed, classificationId, 'classification', '--classifier'),
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
