import type { Applicability } from '../../../../src-shared/contract/analysis.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { AnalysisPipeline } from '../pipelines/pipeline.js';
import { checkApplicability } from './check-applicability.js';
import { withGateVerdict, type GateVerdict } from './image-gate.js';
import type { ScanAttributes } from './scan-attributes.js';

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
  };
}

/**
 * The verdict once a learned image gate has looked at the loaded images: what it saw fills the
 * attributes the header left unknown (a PNG has none), and the check runs again.
 */
export function gateVerdict(
  byAttributes: ApplicabilityVerdict,
  pipeline: AnalysisPipeline,
  manifests: ReadonlyMap<string, ModelManifest>,
  attributes: ScanAttributes,
  seen: GateVerdict | null,
): ApplicabilityVerdict {
  if (seen === null) return byAttributes;
  const verdict = attributeVerdict(pipeline, manifests, withGateVerdict(attributes, seen));
  return { ...verdict, checkedFrom: [...verdict.checkedFrom, 'image-gate'] };
}

/** Notes for the optional roles left out because their model cannot read the scan. */
export function skippedRoleNotes(verdict: ApplicabilityVerdict): Map<string, string> {
  return new Map(
    [...verdict.optionalMismatches].map(([role, { gives, reason }]) => [
      role,
      `No ${gives} is given: ${reason}`,
    ]),
  );
}
