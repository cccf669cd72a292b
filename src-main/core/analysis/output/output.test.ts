import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPngHeader } from '../../imaging/image-header.js';
import { heatColour, heatmapRgb, overlayRgb } from './heatmap-colours.js';
import { encodeNiftiMask, sformFromLps } from './nifti-mask-writer.js';
import { encodePng } from './png-encoder.js';

describe('analysis outputs', () => {
  it('writes a valid greyscale PNG whose pixels read back unchanged', () => {
    const pixels = Uint8Array.from({ length: 6 * 4 }, (_, i) => (i % 2) * 255);
    const png = encodePng(pixels, 6, 4, 1);
    expect(readPngHeader(png)).toEqual({ width: 6, height: 4 });
    const idat = png.subarray(33 + 8, png.length - 12 - 4);
    const raw = inflateSync(idat);
    expect(Array.from(raw.subarray(1, 7))).toEqual(Array.from(pixels.subarray(0, 6)));
  });

  it('writes an RGB PNG for heatmaps', () => {
    const png = encodePng(heatmapRgb(Float32Array.from([0, 0.5, 1, 0.25])), 2, 2, 3);
    expect(readPngHeader(png)).toEqual({ width: 2, height: 2 });
    expect(() => encodePng(new Uint8Array(5), 2, 2, 3)).toThrow();
  });

  it('colours heat from dark (cold) to bright yellow (hot) and leaves cold anatomy visible', () => {
    const cold = heatColour(0);
    const hot = heatColour(1);
    expect(cold[0] + cold[1] + cold[2]).toBeLessThan(20);
    expect(hot[0] + hot[1]).toBeGreaterThan(500);
    const overlay = overlayRgb(Uint8Array.from([200, 200]), Float32Array.from([0, 1]));
    expect(Array.from(overlay.subarray(0, 3))).toEqual([200, 200, 200]);
    expect(overlay[5]).toBeLessThan(200); // blue channel pulled towards yellow's low blue
  });

  it('writes a NIfTI-1 mask with the geometry in sform (LPS converted to RAS)', () => {
    const mask = Uint8Array.from([0, 1, 1, 0, 0, 0, 1, 0]);
    const sform = sformFromLps([10, 20, 30], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0.5, 0.5, 2]);
    expect(sform).toEqual([
      [-0.5, -0, -0, -10],
      [-0, -0.5, -0, -20],
      [0, 0, 2, 30],
    ]);
    const file = gunzipSync(
      encodeNiftiMask(mask, { dims: [2, 2, 2], spacing: [0.5, 0.5, 2], sform }),
    );
    expect(file.readInt32LE(0)).toBe(348);
    expect([file.readInt16LE(42), file.readInt16LE(44), file.readInt16LE(46)]).toEqual([2, 2, 2]);
    expect(file.readInt16LE(70)).toBe(2);
    expect(file.readFloatLE(88)).toBe(2);
    expect(file.readInt16LE(254)).toBe(2);
    expect(file.readFloatLE(280 + 12)).toBe(-10);
    expect(file.toString('latin1', 344, 347)).toBe('n+1');
    expect(Array.from(file.subarray(352))).toEqual(Array.from(mask));
  });
});
