import type { Analysis, Applicability } from '../../../src-shared/contract/analysis.js';
import type { Scan } from '../../../src-shared/contract/entities.js';
import type { ModelManifest } from '../../../src-shared/model-manifest.js';
import type { ApplicabilityVerdict } from './applicability/pipeline-applicability.js';
import type { AnalysisPipeline } from './pipelines/pipeline.js';

/** The fields every result has, whatever happened to it. */
export type ResultIdentity = Pick<Analysis, 'id' | 'scanId' | 'jobId' | 'createdAt' | 'pipeline'>;

/** The stored form of an applicability verdict; a forced run keeps the reasons. */
export function applicabilityOf(verdict: ApplicabilityVerdict, isForced: boolean): Applicability {
  if (verdict.reasons.length === 0)
    return {
      verdict: verdict.wasChecked ? 'applicable' : 'unchecked',
      reasons: [],
      checkedFrom: verdict.checkedFrom,
    };
  return {
    verdict: isForced ? 'forced' : 'not-applicable',
    reasons: verdict.reasons,
    checkedFrom: verdict.checkedFrom,
  };
}

/**
 * The warnings a forced run carries wherever its result is shown: one for the required models
 * (the input is not what the pipeline reads), one per optional model run on request too.
 */
export function forcedRunWarnings(verdict: ApplicabilityVerdict): string[] {
  const warnings =
    verdict.reasons.length === 0
      ? []
      : [
          `Run on request although the input is not what the model reads: ${verdict.reasons.join(' ')} The findings may not be valid.`,
        ];
  for (const { gives, reason } of verdict.optionalMismatches.values())
    warnings.push(
      `The ${gives} was run on request although ${reason.charAt(0).toLowerCase()}${reason.slice(1)} It may not be valid.`,
    );
  return warnings;
}

/** The chosen models by task, as the result names them (those that refused included). */
function modelRefs(
  pipeline: AnalysisPipeline,
  manifests: ReadonlyMap<string, ModelManifest>,
): Analysis['models'] {
  const ofTask = (task: ModelManifest['task']) => {
    const role = pipeline.roles.find((r) => r.task === task);
    const manifest = role === undefined ? undefined : manifests.get(role.role);
    return manifest === undefined ? null : { id: manifest.id, version: manifest.version };
  };
  return { segmentation: ofTask('segmentation'), classification: ofTask('classification') };
}

/** A refused input: the reason instead of findings; no model ran, nothing else is stored. */
export function notApplicableAnalysis(input: {
  identity: ResultIdentity;
  scan: Scan;
  pipeline: AnalysisPipeline;
  manifests: ReadonlyMap<string, ModelManifest>;
  verdict: ApplicabilityVerdict;
  totalMs: number;
}): Analysis {
  const reason = input.verdict.reasons.join(' ');
  const { scan } = input;
  return {
    ...input.identity,
    models: modelRefs(input.pipeline, input.manifests),
    provider: null,
    providerNote: null,
    applicability: applicabilityOf(input.verdict, false),
    warnings: [],
    notes: `Not analysed: ${reason} To run the model anyway: "Analyse anyway" (CLI: --force).`,
    imageQuality: null,
    input: {
      format: scan.format,
      dimensions: scan.dims ?? [scan.columns ?? 0, scan.rows ?? 0, scan.slices],
      voxelSizes:
        scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1], scan.spacing[2] ?? 1],
      units: scan.spacing === null ? 'pixels' : 'mm',
    },
    findings: { kind: 'not-applicable', reason },
    timings: {
      loadMs: 0,
      preprocessMs: 0,
      inferenceMs: 0,
      postprocessMs: 0,
      totalMs: input.totalMs,
    },
    outputs: { hasMask: false, hasHeatmap: false, hasOverlay: false },
  };
}
