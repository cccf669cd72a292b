import type { ChestXrayQualityNote } from '../../../../../src-shared/contract/analysis.js';
import { TRAINING_SOURCE_SIDE } from './preprocess.js';

/**
 * Limits from the histograms of the training radiographs (chest-xray-pneumonia-224): the mean
 * display intensity of 99 % of them lies between 0.30 and 0.66, under 1 % of their pixels are
 * white and under 22 % black. A picture well outside these is not like what the model learnt.
 */
const TOO_BRIGHT_MEAN = 0.72;
const TOO_BRIGHT_WHITE_FRACTION = 0.15;
const TOO_DARK_MEAN = 0.22;
const TOO_DARK_BLACK_FRACTION = 0.45;

function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

/**
 * What can be told about the radiograph itself from its pixels and header: exposure from the
 * histogram, resolution, and a MONOCHROME1 image that was inverted to be read. Rotation and the
 * view (frontal or lateral) are not detected; heuristics, not a validated quality metric.
 */
export function chestXrayQualityNotes(input: {
  /** The radiograph on the 0..1 display scale (bright = dense, after any inversion). */
  display: Float32Array;
  rows: number;
  columns: number;
  wasInverted: boolean;
}): ChestXrayQualityNote[] {
  const { display, rows, columns } = input;
  const notes: ChestXrayQualityNote[] = [];
  let sum = 0;
  let white = 0;
  let black = 0;
  for (const v of display) {
    sum += v;
    if (v >= 0.98) white++;
    else if (v <= 0.02) black++;
  }
  const n = Math.max(1, display.length);
  const mean = sum / n;
  if (mean > TOO_BRIGHT_MEAN || white / n > TOO_BRIGHT_WHITE_FRACTION)
    notes.push({
      code: 'under-exposed',
      message:
        `The image looks under-exposed (too bright: mean intensity ${percent(mean)}, ${percent(white / n)} of pixels white); ` +
        'the lungs may show too little detail to read.',
    });
  else if (mean < TOO_DARK_MEAN || black / n > TOO_DARK_BLACK_FRACTION)
    notes.push({
      code: 'over-exposed',
      message:
        `The image looks over-exposed (too dark: mean intensity ${percent(mean)}, ${percent(black / n)} of pixels black); ` +
        'faint opacities may be burnt out.',
    });
  if (Math.min(rows, columns) < TRAINING_SOURCE_SIDE)
    notes.push({
      code: 'low-resolution',
      message: `Low resolution (${columns}×${rows} pixels), below the ${TRAINING_SOURCE_SIDE}×${TRAINING_SOURCE_SIDE} pictures the model was trained on.`,
    });
  if (input.wasInverted)
    notes.push({
      code: 'inverted-photometric',
      message:
        'The image is stored inverted (MONOCHROME1: low values bright); it was inverted so that bone is bright before it was read.',
    });
  return notes;
}
