import { describe, expect, it } from 'vitest';
import { assessTumourType } from './tumour-type-assessment.js';

const probabilities = (glioma: number, meningioma: number, notumor: number, pituitary: number) => ({
  glioma,
  meningioma,
  notumor,
  pituitary,
});

describe('the tumour type read against the segmentation', () => {
  it('suggests the type given a tumour, renormalised without notumor', () => {
    const type = assessTumourType({
      tumourDetected: true,
      probabilities: probabilities(0.6, 0.1, 0.2, 0.1),
      notRunReason: null,
    });
    expect(type).toMatchObject({ status: 'suggested', type: 'glioma', disagreement: null });
    expect(type?.probability).toBeCloseTo(0.75, 6);
    expect(type?.statement).toBe('Suggested type: glioma (75 %, given a tumour).');
  });

  it('never shows notumor beside a segmented lesion: the lesion stands, the type is undetermined', () => {
    const type = assessTumourType({
      tumourDetected: true,
      probabilities: probabilities(0.05, 0.02, 0.9, 0.03),
      notRunReason: null,
    });
    expect(type).toMatchObject({ status: 'undetermined', type: null, probability: null });
    expect(type?.statement).toBe('Tumour type could not be determined on this image.');
    expect(type?.disagreement).toMatch(
      /did not recognise a tumour.*segmented lesion stands.*Trust the segmentation/,
    );
    expect(JSON.stringify(type)).not.toMatch(/notumor/);
  });

  it('says undetermined when no type reaches 60 % given a tumour', () => {
    const type = assessTumourType({
      tumourDetected: true,
      probabilities: probabilities(0.45, 0.4, 0.05, 0.1),
      notRunReason: null,
    });
    expect(type).toMatchObject({ status: 'undetermined', type: null, disagreement: null });
    expect(type?.statement).toMatch(
      /^Tumour type could not be determined on this image: no type reaches 60 % \(glioma 47 %, meningioma 42 %, pituitary 11 %\)\.$/,
    );
  });

  it('says the models disagree when only the classifier sees a tumour, and which to trust', () => {
    const type = assessTumourType({
      tumourDetected: false,
      probabilities: probabilities(0.02, 0.9, 0.05, 0.03),
      notRunReason: null,
    });
    expect(type).toMatchObject({ status: 'suggested', type: 'meningioma' });
    expect(type?.disagreement).toMatch(
      /^The models disagree: no lesion was segmented, but the tumour-type model suggests meningioma.*review the image.*not counted as a finding/,
    );
  });

  it('has nothing to type when neither model sees a tumour', () => {
    expect(
      assessTumourType({
        tumourDetected: false,
        probabilities: probabilities(0.02, 0.02, 0.94, 0.02),
        notRunReason: null,
      }),
    ).toMatchObject({ status: 'none', disagreement: null });
  });

  it('says why the type was not assessed, or nothing when it was not asked for', () => {
    expect(
      assessTumourType({
        tumourDetected: true,
        probabilities: null,
        notRunReason:
          'Tumour type not assessed: the tumour type model reads brain MR T1 post-contrast images.',
      }),
    ).toEqual({
      status: 'not-assessed',
      type: null,
      probability: null,
      statement:
        'Tumour type not assessed: the tumour type model reads brain MR T1 post-contrast images.',
      disagreement: null,
    });
    expect(
      assessTumourType({ tumourDetected: true, probabilities: null, notRunReason: null }),
    ).toBeNull();
  });
});
