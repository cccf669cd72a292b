import { describe, expect, it } from 'vitest';
import { chestDensity } from '../../../../test-support/chest-fixtures.js';
import { resizeBilinear } from '../../preprocess/resize-bilinear.js';
import { areaResize, modelInput, reduceForDisplay } from './preprocess.js';
import { chestXrayQualityNotes } from './quality.js';
import { chestXrayStatement } from './read-radiograph.js';

function picture(rows: number, columns: number, value: (x: number, y: number) => number) {
  const pixels = new Float32Array(rows * columns);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < columns; x++) pixels[y * columns + x] = value(x / columns, y / rows);
  return pixels;
}

describe('chest X-ray preprocessing', () => {
  it('area-averages exactly: 4×4 to 2×2 gives the mean of each 2×2 block', () => {
    const source = Float32Array.from({ length: 16 }, (_, i) => i);
    expect([...areaResize(source, 4, 4, 2, 2)]).toEqual([2.5, 4.5, 10.5, 12.5]);
    // A non-integer ratio keeps the mean of the picture.
    const odd = areaResize(
      picture(7, 5, (x, y) => x + y),
      7,
      5,
      3,
      2,
    );
    const mean = (v: Float32Array) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(odd)).toBeCloseTo(mean(picture(7, 5, (x, y) => x + y)), 5);
  });

  it('reads a 224×224 picture as training did: bilinear to 128, 8-bit steps, standardised', () => {
    const display = picture(224, 224, (x, y) => Math.round(chestDensity(x, y) * 255) / 255);
    const { input, wasReduced } = modelInput(display, 224, 224, 128);
    expect(wasReduced).toBe(false);
    expect(input).toHaveLength(128 * 128);
    let sum = 0;
    let squares = 0;
    for (const v of input) {
      sum += v;
      squares += v * v;
    }
    expect(sum / input.length).toBeCloseTo(0, 4);
    expect(squares / input.length).toBeCloseTo(1, 3);
    // Same order of values as the plain bilinear resize (rounding aside).
    const plain = resizeBilinear(display, 224, 224, 128, 128);
    expect(Math.sign(input[64 * 128 + 64]! - input[0]!)).toBe(
      Math.sign(plain[64 * 128 + 64]! - plain[0]!),
    );
  });

  it('brings a large radiograph down to the 224 px of the training pictures first', () => {
    const large = picture(2000, 1600, chestDensity);
    const small = picture(224, 224, chestDensity);
    const fromLarge = modelInput(large, 2000, 1600, 128);
    const fromSmall = modelInput(small, 224, 224, 128);
    expect(fromLarge.wasReduced).toBe(true);
    // Both read the same anatomy: the inputs agree closely (no aliasing of the ribs).
    let diff = 0;
    for (let i = 0; i < fromLarge.input.length; i++)
      diff += Math.abs(fromLarge.input[i]! - fromSmall.input[i]!);
    expect(diff / fromLarge.input.length).toBeLessThan(0.1);
    expect(reduceForDisplay(large, 2000, 1600, 1024)).toMatchObject({ rows: 1024, columns: 819 });
  });
});

describe('chest X-ray quality notes', () => {
  const notesOf = (value: (x: number, y: number) => number, rows = 300, columns = 300) =>
    chestXrayQualityNotes({
      display: picture(rows, columns, value),
      rows,
      columns,
      wasInverted: false,
    }).map((n) => n.code);

  it('says nothing about a well exposed radiograph of training size', () => {
    expect(notesOf(chestDensity)).toEqual([]);
  });

  it('notes a washed-out (under-exposed) and a dark (over-exposed) radiograph', () => {
    expect(notesOf((x, y) => Math.min(1, chestDensity(x, y) + 0.45))).toEqual(['under-exposed']);
    expect(notesOf((x, y) => chestDensity(x, y) * 0.3)).toEqual(['over-exposed']);
  });

  it('notes low resolution and an inverted (MONOCHROME1) image, in words', () => {
    expect(notesOf(chestDensity, 120, 100)).toEqual(['low-resolution']);
    const [note] = chestXrayQualityNotes({
      display: picture(300, 300, chestDensity),
      rows: 300,
      columns: 300,
      wasInverted: true,
    });
    expect(note?.code).toBe('inverted-photometric');
    expect(note?.message).toMatch(/MONOCHROME1/);
  });
});

describe('chest X-ray statement', () => {
  it('says what was found, with p(pneumonia), and what a normal answer does not cover', () => {
    expect(
      chestXrayStatement({ label: 'pneumonia', probabilities: { normal: 0.07, pneumonia: 0.93 } }),
    ).toBe('Pneumonia suggested (p = 0.93).');
    expect(
      chestXrayStatement({ label: 'normal', probabilities: { normal: 0.96, pneumonia: 0.04 } }),
    ).toBe('No pneumonia seen (p(pneumonia) = 0.04); other findings are not assessed.');
  });

  it('never claims certainty: p rounds to "> 0.99" or "< 0.01", not 1.00 or 0.00', () => {
    expect(
      chestXrayStatement({
        label: 'pneumonia',
        probabilities: { normal: 0.002, pneumonia: 0.998 },
      }),
    ).toBe('Pneumonia suggested (p > 0.99).');
    expect(
      chestXrayStatement({ label: 'normal', probabilities: { normal: 0.996, pneumonia: 0.004 } }),
    ).toBe('No pneumonia seen (p(pneumonia) < 0.01); other findings are not assessed.');
  });
});
