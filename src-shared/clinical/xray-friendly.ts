import type { Analysis, ChestXrayQualityNote } from '../contract/analysis.js';

/**
 * The friendly (patient) reading of a chest X-ray: fixed sentences chosen by the findings, never
 * text from a model, and no numbers a patient could misread (no probabilities, no thresholds).
 * Change a sentence → bump `FRIENDLY_TEMPLATES_VERSION` (docs/xray-readings.md).
 */
export const FRIENDLY_TEMPLATES_VERSION = 'friendly-2026-12-1';

export interface FriendlyText {
  readonly templateVersion: string;
  /** Which template was used: the finding it is keyed on. */
  readonly template: 'pneumonia' | 'normal' | 'not-read';
  readonly headline: string;
  readonly whatItMeans: string[];
  readonly whatItDoesNotMean: string[];
  /** Limits of this particular picture (under-exposed, rotated…), in plain words. */
  readonly aboutTheImage: string[];
  /** Always says that the doctor will discuss the result. */
  readonly nextStep: string;
}

const NEXT_STEP =
  'Your doctor will discuss this result with you, together with how you feel and what they find when they examine you.';

const ALWAYS_NOT_MEANING = [
  'This is not a diagnosis. A computer program looked at the picture; your doctor makes the diagnosis.',
  'The program looks only for signs of pneumonia. It does not look for other conditions of the chest.',
];

/** Quality notes in a patient's words (the expert reading keeps the radiographer's wording). */
const QUALITY_WORDS: Readonly<Record<ChestXrayQualityNote['code'], string>> = {
  'under-exposed': 'The picture is rather dark, which can hide details.',
  'over-exposed': 'The picture is rather bright, which can hide details.',
  rotated: 'You were slightly turned when the picture was taken, which can make it harder to read.',
  'low-resolution': 'The picture has little detail, which can make it harder to read.',
  'inverted-photometric': 'The picture was stored in an unusual way and had to be converted.',
  'not-frontal':
    'The picture does not look like a front view of the chest, which the program is made for.',
};

const NOT_READ: Omit<FriendlyText, 'aboutTheImage'> = {
  templateVersion: FRIENDLY_TEMPLATES_VERSION,
  template: 'not-read',
  headline: 'The program could not read this picture as a chest X-ray.',
  whatItMeans: [
    'This picture is not one the program is made to read, so it gives no result about your chest.',
  ],
  whatItDoesNotMean: [
    'It does not mean that something is wrong, nor that everything is fine.',
    ...ALWAYS_NOT_MEANING,
  ],
  nextStep: NEXT_STEP,
};

/** The friendly text for an analysis: keyed on its findings' kind and label. */
export function friendlyText(analysis: Pick<Analysis, 'findings'>): FriendlyText {
  const findings = analysis.findings;
  if (findings.kind !== 'chest-xray') return { ...NOT_READ, aboutTheImage: [] };
  const aboutTheImage = findings.qualityNotes.map((note) => QUALITY_WORDS[note.code]);
  if (findings.label === 'pneumonia')
    return {
      templateVersion: FRIENDLY_TEMPLATES_VERSION,
      template: 'pneumonia',
      headline: 'The program found signs that can be seen with pneumonia (a chest infection).',
      whatItMeans: [
        'Parts of your lungs look the way they often look when there is an infection.',
        'Your doctor will check this against your symptoms and may suggest treatment or more tests.',
      ],
      whatItDoesNotMean: [
        'It does not mean that you certainly have pneumonia: other things can look similar on an X-ray.',
        'It does not say how serious an infection would be, nor which treatment you need.',
        ...ALWAYS_NOT_MEANING,
      ],
      aboutTheImage,
      nextStep: NEXT_STEP,
    };
  return {
    templateVersion: FRIENDLY_TEMPLATES_VERSION,
    template: 'normal',
    headline: 'The program did not find signs of pneumonia on this picture.',
    whatItMeans: ['Your lungs do not show the patterns the program looks for in pneumonia.'],
    whatItDoesNotMean: [
      'It does not rule out an infection or another illness: some do not show on an X-ray, especially early on.',
      'If you feel worse or do not get better, tell your doctor, whatever this result says.',
      ...ALWAYS_NOT_MEANING,
    ],
    aboutTheImage,
    nextStep: NEXT_STEP,
  };
}
