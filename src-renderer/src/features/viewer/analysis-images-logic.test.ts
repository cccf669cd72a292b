import { describe, expect, it } from 'vitest';
import {
  activationCaption,
  availableImageKinds,
  calibratedPercentText,
  probabilityRows,
  showsProbabilities,
} from './analysis-images-logic.js';

const classification = {
  label: 'glioma',
  confidence: 0.874,
  probabilities: { meningioma: 0.05, glioma: 0.874, notumor: 0.026, pituitary: 0.05 },
  slice: 11,
};

describe('analysis images', () => {
  it('offers the overlay first, and only the pictures the analysis stored', () => {
    expect(availableImageKinds({ hasMask: true, hasHeatmap: true, hasOverlay: true })).toEqual([
      'overlay',
      'heatmap',
    ]);
    expect(availableImageKinds({ hasMask: true, hasHeatmap: true, hasOverlay: false })).toEqual([
      'heatmap',
    ]);
    expect(availableImageKinds({ hasMask: true, hasHeatmap: false, hasOverlay: false })).toEqual(
      [],
    );
  });

  it('captions the map with the 1-based slice, the label and the confidence', () => {
    expect(activationCaption(classification)).toBe('Class activation map of slice 12 — glioma 87%');
  });

  it('captions with the type as the result reads it, and hides the raw "notumor" unless a type is suggested', () => {
    const undetermined = {
      status: 'undetermined' as const,
      type: null,
      probability: null,
      statement: 'Tumour type could not be determined on this image.',
      disagreement: 'The segmented lesion stands.',
    };
    expect(activationCaption(classification, undetermined)).toBe(
      'Class activation map of slice 12 — Tumour type could not be determined on this image.',
    );
    expect(showsProbabilities(undetermined)).toBe(false);
    expect(showsProbabilities({ ...undetermined, status: 'suggested' })).toBe(true);
    expect(showsProbabilities(undefined)).toBe(true);
  });

  it('lists the probabilities most likely first', () => {
    expect(probabilityRows(classification).map((row) => row.label)).toEqual([
      'glioma',
      'meningioma',
      'pituitary',
      'notumor',
    ]);
  });

  it('shows a calibrated probability without claiming certainty', () => {
    expect(calibratedPercentText(0.998)).toBe('> 99%');
    expect(calibratedPercentText(0.004)).toBe('< 1%');
    expect(calibratedPercentText(0.874)).toBe('87%');
  });
});
