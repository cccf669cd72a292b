import type { ModelApplicability } from '../../../../src-shared/model-manifest.js';

export type Sequence = NonNullable<ModelApplicability['sequences']>[number];

/** Acquisition parameters that tell a sequence apart where its name does not. */
export interface SequenceParameters {
  inversionTimeMs?: number | null;
  repetitionTimeMs?: number | null;
  /** DICOM Contrast/Bolus Agent: present on post-contrast series. */
  contrastAgent?: string | null;
}

// File names count as descriptions for NIfTI and pictures, so "_t1ce", "T1C" and "t1gd" (BraTS and
// research exports) are read as well as scanner wording; "_" is a word character, hence the
// look-arounds instead of \b.
const POST_CONTRAST =
  /POST|\+ ?C\b|C\+|\bGD\b|\+GD|GADO|\bGAD\b|CONTRAST|(?<![A-Z0-9])CE(?![A-Z0-9])|\bMPR ?GD|T1[-_ ]?(?:CE|C|GD)(?![A-Z])/;

/**
 * The MR sequence a series description names (scanners and sites word them differently:
 * "AX FLAIR", "t2_tirm_tra_dark-fluid", "T1 MPRAGE SAG", "AX T1 POST GD"). FLAIR is tested
 * first because its names often contain "T2". Null when the text names none.
 */
export function inferSequence(
  description: string | null,
  parameters: SequenceParameters,
): Sequence | null {
  const name = (description ?? '').toUpperCase();
  const ti = parameters.inversionTimeMs ?? null;
  const tr = parameters.repetitionTimeMs ?? null;
  if (/FLAIR|DARK[-_ ]?FLUID|TIRM/.test(name)) return 'FLAIR';
  // A long inversion time with a long repetition time nulls the fluid: FLAIR by its physics.
  if (ti !== null && tr !== null && ti >= 1500 && ti <= 3500 && tr >= 5000) return 'FLAIR';
  if (/\bDWI\b|DIFFUSION|\bADC\b|\bTRACE\b|\bDTI\b/.test(name)) return 'DWI';
  const isT1 = /T1|MPRAGE|MP-RAGE|SPGR|BRAVO|\bTFE\b|VIBE/.test(name);
  const hasContrast =
    POST_CONTRAST.test(name) ||
    (parameters.contrastAgent !== undefined &&
      parameters.contrastAgent !== null &&
      parameters.contrastAgent.trim() !== '');
  if (isT1) return hasContrast ? 'T1-POST-CONTRAST' : 'T1';
  if (/T2/.test(name)) return 'T2';
  return null;
}

/** The body part a description names when BodyPartExamined is absent, or null. */
export function inferBodyPart(description: string | null): string | null {
  const text = (description ?? '').toUpperCase();
  if (/BRAIN|HEAD|CRAN|NEURO|\bSKULL\b/.test(text)) return 'BRAIN';
  if (/CHEST|THORAX|LUNG|\bCXR\b|\bPA\b/.test(text)) return 'CHEST';
  if (/DENTAL|TEETH|\bJAW\b|MANDIB|MAXILL|\bCBCT\b/.test(text)) return 'JAW';
  return null;
}

const SEQUENCE_WORDS: Record<Sequence, string> = {
  FLAIR: 'FLAIR',
  T1: 'T1',
  'T1-POST-CONTRAST': 'T1 post-contrast',
  T2: 'T2',
  DWI: 'diffusion',
  CT: 'CT',
};

export function sequenceInWords(sequence: Sequence): string {
  return SEQUENCE_WORDS[sequence];
}

/** DICOM BodyPartExamined values (CID 4031) as a report would say them. */
const BODY_PART_WORDS: Record<string, string> = {
  CSPINE: 'cervical spine',
  TSPINE: 'thoracic spine',
  LSPINE: 'lumbar spine',
  ABDOMENPELVIS: 'abdomen and pelvis',
  CHESTABDOMEN: 'chest and abdomen',
  HEADNECK: 'head and neck',
  JAW: 'jaw',
  TMJ: 'temporomandibular joint',
};

export function bodyPartInWords(bodyPart: string): string {
  return BODY_PART_WORDS[bodyPart] ?? bodyPart.toLowerCase().replace(/_/g, ' ');
}
