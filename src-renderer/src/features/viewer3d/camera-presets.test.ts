import { describe, expect, it } from 'vitest';
import { AXIS_LETTERS, CAMERA_VIEWS } from './camera-presets.js';
import { COLOUR_SCHEMES, lesionColour } from './colour-schemes.js';

type Triple = readonly [number, number, number];
const cross = (a: Triple, b: Triple): Triple => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
/** The patient letter of a unit axis vector (LPS). */
const letterOf = (v: Triple): string =>
  AXIS_LETTERS.find(({ direction }) => direction.every((x, i) => Math.abs(x - v[i]!) < 1e-9))!
    .letter;

describe('camera presets', () => {
  // Screen right = forward × up, with forward pointing from the camera to the centre.
  const screen = (preset: keyof typeof CAMERA_VIEWS): { right: string; up: string } => {
    const { from, up } = CAMERA_VIEWS[preset];
    const forward: Triple = [-from[0], -from[1], -from[2]];
    return {
      right: letterOf(cross(forward, up)),
      up: letterOf(up),
    };
  };

  it('shows the patient as a frontal photograph and from above with the face at the top', () => {
    expect(screen('anterior')).toEqual({ right: 'L', up: 'S' });
    expect(screen('posterior')).toEqual({ right: 'R', up: 'S' });
    expect(screen('left')).toEqual({ right: 'P', up: 'S' });
    expect(screen('right')).toEqual({ right: 'A', up: 'S' });
    expect(screen('superior')).toEqual({ right: 'R', up: 'A' });
    expect(screen('inferior')).toEqual({ right: 'L', up: 'A' });
  });
});

describe('colour schemes', () => {
  it('gives neighbouring lesions different colours and cycles through the palette', () => {
    for (const scheme of COLOUR_SCHEMES) {
      const first = Array.from({ length: 7 }, (_, n) => lesionColour(scheme, n));
      expect(new Set(first).size).toBe(7);
      expect(lesionColour(scheme, 7)).toBe(first[0]);
    }
    expect(lesionColour('colorblind', 0)).not.toBe(lesionColour('standard', 0));
  });
});
