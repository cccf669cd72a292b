import { AppError } from '../../../../src-shared/errors.js';
import type { InferenceEngine, LoadedModel } from '../../inference/inference-engine.js';
import type { PipelineChoice } from './pipeline-registry.js';

/**
 * Loads the chosen model of each role that will run. A required model that cannot be loaded
 * fails the analysis; an optional one is left out with the reason, and the rest still stands.
 */
export async function loadModels(
  engine: InferenceEngine,
  choice: PipelineChoice,
  notApplicable: ReadonlyMap<string, string>,
): Promise<{ models: Map<string, LoadedModel>; skipped: Map<string, string> }> {
  const models = new Map<string, LoadedModel>();
  const skipped = new Map([...choice.skipped, ...notApplicable]);
  for (const role of choice.pipeline.roles) {
    const id = choice.models.get(role.role);
    if (id === undefined || skipped.has(role.role)) continue;
    try {
      const model = await engine.prepare(id);
      if (model.manifest.task !== role.task)
        throw new AppError('INVALID_INPUT', `Model ${id} is not a ${role.task} model.`);
      models.set(role.role, model);
    } catch (error) {
      if (role.isRequired) throw error;
      skipped.set(
        role.role,
        error instanceof AppError ? error.message : `The ${role.gives} model could not be loaded.`,
      );
    }
  }
  return { models, skipped };
}
