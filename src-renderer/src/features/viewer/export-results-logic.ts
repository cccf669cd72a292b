import type { Analysis } from '../../../../src-shared/contract/analysis.js';

/**
 * Why "Export results" cannot run now, in words for its tooltip; null when it can. It exports
 * the stored latest analysis, so it needs one, and not while a new one is being made (the
 * export would be of the analysis about to be replaced).
 */
export function exportUnavailableReason(state: {
  analysis: Analysis | null;
  isAnalysing: boolean;
}): string | null {
  if (state.isAnalysing) return 'An analysis is running: export its results when it finishes.';
  if (state.analysis === null) return 'Nothing to export yet: analyse the scan first.';
  return null;
}

/**
 * Why "DICOM SEG" cannot run now, or null: as "Export results", and the analysis must have made
 * a mask (an input the model refused has none, and a SEG without segments is no result).
 */
export function dicomSegUnavailableReason(state: {
  analysis: Analysis | null;
  isAnalysing: boolean;
}): string | null {
  const reason = exportUnavailableReason(state);
  if (reason !== null || state.analysis === null) return reason;
  return noMaskReason(state.analysis);
}

/** Why an analysis has no mask to send as DICOM SEG, in words; null when it has one. */
export function noMaskReason(analysis: Analysis): string | null {
  if (analysis.findings.kind === 'not-applicable')
    return `The analysis made no mask: ${analysis.findings.reason}`;
  if (!analysis.outputs.hasMask || analysis.models.segmentation === null)
    return 'The analysis has no stored mask: analyse the scan again.';
  return null;
}

/** What to tell the user after a download, from the export's own warnings. */
export function exportNotes(fileName: string, warnings: readonly string[]): string {
  const saved = `Saved ${fileName}.`;
  if (warnings.length === 0) return saved;
  const capitalised = warnings.map((w) => `${w.charAt(0).toUpperCase()}${w.slice(1)}`);
  return `${saved} Note: ${capitalised.join('; ')}`;
}
