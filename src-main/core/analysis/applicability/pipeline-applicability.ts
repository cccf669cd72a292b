import type { Applicability } from '../../../../src-shared/contract/analysis.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { AnalysisPipeline } from '../pipelines/pipeline.js';
import { checkApplicability } from './check-applicability.js';
import { withGateVerdict, type GateVerdict } from './image-gate.js';
import type { ScanAttributes } from './scan-attributes.js';
import { sequenceInWords } from './series-description.js';

/** Whether a pipeline's chosen models can read a scan. */
export interface ApplicabilityVerdict {
  /** A required model cannot read it: nothing is analysed unless forced. */
  refuses: boolean;
  /** Why, one sentence per refusing model, in clinical words. */
  reasons: string[];
  /** False when no chosen model declares what it reads. */
  wasChecked: boolean;
  checkedFrom: Applicability['checkedFrom'];
  /** Optional roles whose model cannot read the scan: role → what it gives and why not. */
  optionalMismatches: Map<string, { gives: string; reason: string }>;
  /** Doubts that do not refuse (what a learned image gate saw), shown with the result. */
  warnings: string[];
}

/** Checks each chosen model's declared applicability against the scan's attributes. */
export function attributeVerdict(
  pipeline: AnalysisPipeline,
  manifests: ReadonlyMap<string, ModelManifest>,
  attributes: ScanAttributes,
): ApplicabilityVerdict {
  const reasons: string[] = [];
  const optionalMismatches = new Map<string, { gives: string; reason: string }>();
  const checkedFrom = new Set<Applicability['checkedFrom'][number]>();
  let wasChecked = false;
  for (const role of pipeline.roles) {
    const applicability = manifests.get(role.role)?.applicability;
    if (applicability === undefined) continue;
    wasChecked = true;
    const check = checkApplicability(applicability, attributes);
    for (const source of check.checkedFrom) checkedFrom.add(source);
    if (check.reason === null) continue;
    if (role.isRequired) reasons.push(check.reason);
    else optionalMismatches.set(role.role, { gives: role.gives, reason: check.reason });
  }
  return {
    refuses: reasons.length > 0,
    reasons,
    wasChecked,
    checkedFrom: [...checkedFrom],
    optionalMismatches,
    warnings: [],
  };
}

/**
 * The verdict once a learned image gate has looked at the loaded images. Only a confident gate
 * counts, and only for what the header left unknown (a PNG or NIfTI has no header): a model
 * refuses an image that looks like a chest radiograph or like no brain MR at all. The gate's
 * sequence only warns: it is unreliable on unseen subjects (docs/sequence-gate.md).
 */
export function gateVerdict(
  byAttributes: ApplicabilityVerdict,
  pipeline: AnalysisPipeline,
  manifests: ReadonlyMap<string, ModelManifest>,
  attributes: ScanAttributes,
  seen: GateVerdict | null,
): ApplicabilityVerdict {
  if (seen === null) return byAttributes;
  const checkedFrom: Applicability['checkedFrom'] = [...byAttributes.checkedFrom, 'image-gate'];
  if (!seen.isConfident) return { ...byAttributes, checkedFrom };
  const filled = withGateVerdict(attributes, seen);
  const reasons = [...byAttributes.reasons];
  const warnings = [...byAttributes.warnings];
  for (const role of pipeline.roles) {
    const applicability = manifests.get(role.role)?.applicability;
    if (applicability === undefined) continue;
    const contradicts =
      (seen.isOtherImage && attributes.bodyPart === null) ||
      checkApplicability(applicability, filled).mismatches.length >
        checkApplicability(applicability, attributes).mismatches.length;
    if (contradicts) {
      // Said once per model: the attribute check may already have given its own reason.
      if (role.isRequired)
        reasons.push(
          `This model reads ${applicability.description}; this image looks like ${seen.looksLike}.`,
        );
      continue;
    }
    if (
      seen.sequence !== null &&
      attributes.sequence === null &&
      applicability.sequences !== undefined &&
      !applicability.sequences.includes(seen.sequence)
    )
      warnings.push(
        `The image looks like ${sequenceInWords(seen.sequence)} MR and the series does not say ` +
          `which sequence it is; the ${role.gives} model reads ${applicability.description}. ` +
          'Check the sequence: this image check is a hint, not a certainty.',
      );
  }
  return { ...byAttributes, refuses: reasons.length > 0, reasons, checkedFrom, warnings };
}

/** Notes for the optional roles left out because their model cannot read the scan. */
export function skippedRoleNotes(verdict: ApplicabilityVerdict): Map<string, string> {
  return new Map(
    [...verdict.optionalMismatches].map(([role, { gives, reason }]) => [
      role,
      // "Tumour type not assessed: the tumour type model reads brain MR T1 post-contrast images; …"
      `${gives.charAt(0).toUpperCase()}${gives.slice(1)} not assessed: ${reason.replace(/^This model/, `the ${gives} model`)}`,
    ]),
  );
}
