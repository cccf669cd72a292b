import { describe, expect, it } from 'vitest';
import { splitAnalysisNotes } from './analysis-notes.js';

const REVIEW = 'Automatic result for research and decision support: a radiologist must review it.';
const CUDA =
  'CUDA could not be used (libcudart.so.12: cannot open shared object file); running on the CPU.';

describe('analysis notes', () => {
  it('moves the provider note and normalisation out of the clinical notes, into technical ones', () => {
    const notes = [
      '1 lesion found.',
      'Intensities were normalised over this image and 23 other slices of its series.',
      CUDA,
      'The segmentation found a lesion; the classifier says no tumour.',
      REVIEW,
    ].join(' ');
    expect(splitAnalysisNotes({ notes, providerNote: CUDA })).toEqual({
      clinical: `1 lesion found. The segmentation found a lesion; the classifier says no tumour. ${REVIEW}`,
      technical: [
        CUDA,
        'Intensities were normalised over this image and 23 other slices of its series.',
      ],
    });
  });

  it('leaves clinical notes as they are when nothing technical is in them', () => {
    const notes = `No tumour was found. ${REVIEW}`;
    expect(splitAnalysisNotes({ notes, providerNote: null })).toEqual({
      clinical: notes,
      technical: [],
    });
    // One other slice: the singular sentence.
    expect(
      splitAnalysisNotes({
        notes: `Intensities were normalised over this image and 1 other slice of its series. ${REVIEW}`,
        providerNote: null,
      }),
    ).toEqual({
      clinical: REVIEW,
      technical: ['Intensities were normalised over this image and 1 other slice of its series.'],
    });
  });
});
