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

/** What to tell the user after a download, from the export's own warnings. */
export function exportNotes(fileName: string, warnings: readonly string[]): string {
  const saved = `Saved ${fileName}.`;
  if (warnings.length === 0) return saved;
  const capitalised = warnings.map((w) => `${w.charAt(0).toUpperCase()}${w.slice(1)}`);
  return `${saved} Note: ${capitalised.join('; ')}`;
}
