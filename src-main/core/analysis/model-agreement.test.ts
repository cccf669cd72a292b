import { describe, expect, it } from 'vitest';
import { modelAgreementNote } from './model-agreement.js';

describe('agreement between segmentation and tumour type', () => {
  it('says nothing when both models agree or no classifier ran', () => {
    expect(modelAgreementNote(true, 'glioma')).toBeNull();
    expect(modelAgreementNote(false, 'notumor')).toBeNull();
    expect(modelAgreementNote(false, null)).toBeNull();
  });

  it('tells the reader when they disagree, naming the suggested type', () => {
    expect(modelAgreementNote(false, 'meningioma')).toMatch(
      /no lesion was segmented.*suggests meningioma/,
    );
    expect(modelAgreementNote(true, 'notumor')).toMatch(/lesion was segmented.*tumour-free/);
  });
});
