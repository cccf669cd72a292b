import type { Analysis } from '../../../src-shared/contract/analysis.js';

/**
 * The findings a new draft starts from: what the analysis found, in sentences the radiologist
 * edits. The impression starts empty: the conclusion is the radiologist's, never the model's.
 */
export function draftFindingsOf(analysis: Analysis): string {
  const findings = analysis.findings;
  switch (findings.kind) {
    case 'not-applicable':
      return `Not assessed by the software: ${findings.reason}`;
    case 'brain-tumour': {
      const lines: string[] = [];
      if (!findings.tumourDetected || findings.detections.length === 0) {
        lines.push('The segmentation model found no tumour.');
      } else {
        const n = findings.detections.length;
        lines.push(`The segmentation model found ${n} lesion${n === 1 ? '' : 's'}:`);
        findings.detections.forEach((d, i) => {
          lines.push(`${i + 1}. ${d.location.description}: ${d.size}.`);
        });
      }
      if (findings.tumourType !== undefined) lines.push(findings.tumourType.statement);
      if (findings.tumourType?.disagreement) lines.push(findings.tumourType.disagreement);
      for (const issue of analysis.imageQuality?.issues ?? [])
        lines.push(`Image quality: ${issue}`);
      return lines.join('\n');
    }
    case 'chest-xray': {
      const lines = [findings.statement];
      for (const note of findings.qualityNotes) lines.push(`Image quality: ${note.message}`);
      return lines.join('\n');
    }
    default: {
      const unknown: never = findings;
      return unknown;
    }
  }
}
