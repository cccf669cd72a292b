import { AppError } from '../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { ModelRegistry } from '../../inference/model-registry.js';
import type { AnalysisPipeline, PipelineRole } from './pipeline.js';

/** Models asked for by name, by task; null: leave that task out. */
export type RequestedModels = Partial<Record<ModelManifest['task'], string | null>>;

/** What a scan is, as far as choosing a pipeline goes (null: unknown). */
export interface ScanScope {
  modality: string | null;
  bodyPart: string | null;
}

export interface PipelineChoice {
  pipeline: AnalysisPipeline;
  /** The model id chosen for each role that will run. */
  models: Map<string, string>;
  /** Why an optional role will not run, by role. */
  skipped: Map<string, string>;
}

function installedManifests(models: ModelRegistry): ModelManifest[] {
  const manifests: ModelManifest[] = [];
  for (const id of models.ids()) {
    try {
      manifests.push(models.manifest(id));
    } catch {
      // An invalid manifest is reported by models.list and when named; it is never a default.
    }
  }
  return manifests;
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((v) => b.includes(v));
}

/** Models that can fill a role of a pipeline: same role and task, and made for its scope. */
function candidatesFor(
  pipeline: AnalysisPipeline,
  role: PipelineRole,
  manifests: readonly ModelManifest[],
): ModelManifest[] {
  return manifests.filter(
    (m) =>
      m.role === role.role &&
      m.task === role.task &&
      (m.applicability === undefined ||
        (overlaps(m.applicability.modalities, pipeline.scope.modalities) &&
          overlaps(m.applicability.bodyParts, pipeline.scope.bodyParts))),
  );
}

/** The default model of a role: the one marked default (first by id), or the only candidate. */
function defaultFor(candidates: readonly ModelManifest[]): ModelManifest | null {
  const marked = candidates.filter((m) => m.default === true);
  if (marked.length > 0) return marked[0]!;
  return candidates.length === 1 ? candidates[0]! : null;
}

/** 2 where the scan's attribute is in scope, 1 where it is unknown, 0 where it is not. */
export function scopeScore(pipeline: AnalysisPipeline, scan: ScanScope): number {
  const score = (value: string | null, scope: readonly string[]): number =>
    value === null ? 1 : scope.includes(value) ? 2 : 0;
  return (
    score(scan.modality, pipeline.scope.modalities) + score(scan.bodyPart, pipeline.scope.bodyParts)
  );
}

/**
 * The registered pipelines and the models installed for them. Chooses, for a scan, the pipeline
 * made for its modality and body part whose required models are installed, and each role's
 * model: the one named, else the manifest marked default. No model id is written in code.
 */
export function createPipelineRegistry(
  pipelines: readonly AnalysisPipeline[],
  models: ModelRegistry,
) {
  const seen = new Set<string>();
  for (const p of pipelines) {
    if (seen.has(p.id)) throw new Error(`Analysis pipeline "${p.id}" is registered twice.`);
    seen.add(p.id);
  }

  function pipelineOfNamedModel(manifest: ModelManifest): AnalysisPipeline {
    const byRole = pipelines.find((p) =>
      p.roles.some((r) => r.role === manifest.role && r.task === manifest.task),
    );
    const byTask = pipelines.find((p) =>
      p.roles.some((r) => r.isRequired && r.task === manifest.task),
    );
    const found = byRole ?? byTask;
    if (found === undefined)
      throw new AppError(
        'INVALID_INPUT',
        `Model "${manifest.id}" (${manifest.task}) has no analysis pipeline to run in.`,
      );
    return found;
  }

  function namedManifest(id: string): ModelManifest {
    return models.manifest(id);
  }

  function choose(scan: ScanScope, requested: RequestedModels = {}): PipelineChoice {
    const manifests = installedManifests(models);
    const named = Object.values(requested).filter((id): id is string => typeof id === 'string');
    let pipeline: AnalysisPipeline | undefined;
    const first = named[0];
    if (first !== undefined) {
      pipeline = pipelineOfNamedModel(namedManifest(first));
    } else {
      const runnable = pipelines.filter((p) =>
        p.roles.every((r) => !r.isRequired || defaultFor(candidatesFor(p, r, manifests)) !== null),
      );
      // Stable sort: among equal scores the pipeline registered first wins.
      pipeline = [...runnable].sort((a, b) => scopeScore(b, scan) - scopeScore(a, scan))[0];
      if (pipeline === undefined) {
        const needed = pipelines
          .map(
            (p) =>
              `${p.id} (${p.roles
                .filter((r) => r.isRequired)
                .map((r) => r.role)
                .join(', ')})`,
          )
          .join('; ');
        throw new AppError(
          'MODEL_UNAVAILABLE',
          `No analysis can run: no installed model is marked as the default for a pipeline's roles (${needed}) in ${models.modelsDir}. ` +
            'Install the models, or name one with its id.',
        );
      }
    }
    const chosen = new Map<string, string>();
    const skipped = new Map<string, string>();
    for (const role of pipeline.roles) {
      const asked = requested[role.task];
      // "None" leaves out an optional role; a required one (the chest X-ray's classifier) takes its default.
      if (asked === null && !role.isRequired) continue;
      if (typeof asked === 'string') {
        let manifest: ModelManifest;
        try {
          manifest = namedManifest(asked);
        } catch (error) {
          // Without an optional model the rest still stands; say why it is missing.
          if (role.isRequired || !(error instanceof AppError)) throw error;
          skipped.set(role.role, error.message);
          continue;
        }
        if (manifest.task !== role.task)
          throw new AppError(
            'INVALID_INPUT',
            `Model "${asked}" is a ${manifest.task} model; it cannot give the ${role.gives}.`,
          );
        chosen.set(role.role, asked);
        continue;
      }
      const fallback = defaultFor(candidatesFor(pipeline, role, manifests));
      if (fallback !== null) chosen.set(role.role, fallback.id);
      else if (role.isRequired)
        throw new AppError(
          'MODEL_UNAVAILABLE',
          `No ${role.task} model for the ${role.gives} is installed (none has role "${role.role}" in its manifest).`,
        );
      else
        skipped.set(
          role.role,
          `${role.gives.charAt(0).toUpperCase()}${role.gives.slice(1)} not assessed: no model for it is installed.`,
        );
    }
    return { pipeline, models: chosen, skipped };
  }

  return {
    pipelines,
    choose,
    /** Whether some pipeline has a default model for each of its required roles. */
    hasRunnablePipeline(): boolean {
      const manifests = installedManifests(models);
      return pipelines.some((p) =>
        p.roles.every((r) => !r.isRequired || defaultFor(candidatesFor(p, r, manifests)) !== null),
      );
    },
    /** The default model id of each role of each pipeline (null where none is installed). */
    defaults(): Array<{ pipeline: string; role: string; task: string; modelId: string | null }> {
      const manifests = installedManifests(models);
      return pipelines.flatMap((p) =>
        p.roles.map((r) => ({
          pipeline: p.id,
          role: r.role,
          task: r.task,
          modelId: defaultFor(candidatesFor(p, r, manifests))?.id ?? null,
        })),
      );
    },
  };
}
export type PipelineRegistry = ReturnType<typeof createPipelineRegistry>;
