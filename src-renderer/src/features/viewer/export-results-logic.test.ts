import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import {
  dicomSegUnavailableReason,
  exportNotes,
  exportUnavailableReason,
} from './export-results-logic.js';

// Only its presence matters to the reason; the object stands for any stored analysis.
const stored = { id: 'a-1' } as unknown as Analysis;

describe('exportUnavailableReason', () => {
  it('needs a stored analysis, and no analysis running', () => {
    expect(exportUnavailableReason({ analysis: null, isAnalysing: false })).toBe(
      'Nothing to export yet: analyse the scan first.',
    );
    expect(exportUnavailableReason({ analysis: stored, isAnalysing: true })).toMatch(
      /analysis is running/,
    );
    expect(exportUnavailableReason({ analysis: null, isAnalysing: true })).toMatch(/running/);
    expect(exportUnavailableReason({ analysis: stored, isAnalysing: false })).toBeNull();
  });
});

describe('dicomSegUnavailableReason', () => {
  const segmented = {
    id: 'a-2',
    findings: { kind: 'brain-tumour' },
    models: { segmentation: { id: 'flair', version: '1' } },
    outputs: { hasMask: true },
  } as unknown as Analysis;
  const refused = {
    id: 'a-3',
    findings: { kind: 'not-applicable', reason: 'The input is a chest X-ray.' },
    models: { segmentation: null },
    outputs: { hasMask: false },
  } as unknown as Analysis;
  // A mask lost from the store (or never stored): the core says to analyse again.
  const unsegmented = { ...segmented, outputs: { hasMask: false } } as unknown as Analysis;

  it('needs what "Export results" needs, and a mask', () => {
    expect(dicomSegUnavailableReason({ analysis: null, isAnalysing: false })).toBe(
      'Nothing to export yet: analyse the scan first.',
    );
    expect(dicomSegUnavailableReason({ analysis: segmented, isAnalysing: true })).toMatch(
      /analysis is running/,
    );
    expect(dicomSegUnavailableReason({ analysis: segmented, isAnalysing: false })).toBeNull();
    expect(dicomSegUnavailableReason({ analysis: refused, isAnalysing: false })).toBe(
      'The analysis made no mask: The input is a chest X-ray.',
    );
    expect(dicomSegUnavailableReason({ analysis: unsegmented, isAnalysing: false })).toBe(
      'The analysis has no stored mask: analyse the scan again.',
    );
  });
});

describe('exportNotes', () => {
  it('names the saved file and passes on the warnings as sentences', () => {
    expect(exportNotes('spot_analysis.zip', [])).toBe('Saved spot_analysis.zip.');
    expect(
      exportNotes('chest_analysis.zip', ['no mask: the analysis found the input not applicable']),
    ).toBe('Saved chest_analysis.zip. Note: No mask: the analysis found the input not applicable');
  });
});
