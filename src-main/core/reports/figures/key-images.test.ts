import { describe, expect, it } from 'vitest';
import { heatmapRgb } from '../../analysis/output/heatmap-colours.js';
import { encodePng } from '../../analysis/output/png-encoder.js';
import type { SpacingMm, Vec3, VolumeDims } from '../../analysis/metrics/types.js';
import { decodePng } from '../../imaging/png-decode.js';
import { OUTLINE_RGB, renderKeyImages, type KeyImage } from './key-images.js';

/** A head-like volume (a bright ball of "brain" in air) with a brighter spherical lesion. */
function phantom(dims: VolumeDims, spacing: SpacingMm, lesionMm: Vec3, radiusMm: number) {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  const mask = new Uint8Array(data.length);
  const half = dims.map((d, k) => ((d - 1) / 2) * spacing[k]!);
  let i = 0;
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        const p = [x * spacing[0], y * spacing[1], z * spacing[2]];
        const head = Math.hypot(...p.map((v, k) => (v - half[k]!) / half[k]!));
        if (head < 0.95) data[i] = 400 + 2 * x; // a gentle gradient, so the image is not flat
        if (Math.hypot(...p.map((v, k) => v - lesionMm[k]!)) <= radiusMm) {
          data[i] = 900;
          mask[i] = 1;
        }
      }
  return { data, mask };
}

function pixels(image: KeyImage): Uint8Array {
  const frame = decodePng(image.png);
  expect([frame.columns, frame.rows]).toEqual([image.width, image.height]);
  return frame.data as Uint8Array;
}

const isOutline = (rgb: Uint8Array, i: number): boolean =>
  rgb[3 * i] === OUTLINE_RGB[0] &&
  rgb[3 * i + 1] === OUTLINE_RGB[1] &&
  rgb[3 * i + 2] === OUTLINE_RGB[2];

describe('renderKeyImages', () => {
  const dims: VolumeDims = [64, 64, 24];
  const spacing: SpacingMm = [1, 1, 5];
  const lesionMm: Vec3 = [40, 24, 60];
  const radius = 12;
  const { data, mask } = phantom(dims, spacing, lesionMm, radius);

  it('outlines the lesion in three planes through its centre: on its border, nowhere else', () => {
    const { images, warnings } = renderKeyImages({ volume: { dims, spacing, data }, mask });
    expect(warnings).toEqual([]);
    expect(images.map((image) => [image.kind, image.plane])).toEqual([
      ['outline', 'axial'],
      ['outline', 'coronal'],
      ['outline', 'sagittal'],
    ]);
    const [axial] = images;
    expect(axial!.slice).toBe(12); // the lesion's centre: 60 mm / 5 mm
    expect(axial!.caption).toBe('Axial, slice 13 of 24: lesion outlined');
    expect(images[1]!.caption).toMatch(/^Coronal \(reformatted\), slice 25 of 64/);
    // Axial: 64 × 64 mm at 8 px per mm; pixel (c, r) lies at ((c + 0.5)/8 - 0.5) mm from voxel 0.
    const rgb = pixels(axial!);
    const scale = axial!.width / 64;
    let onBorder = 0;
    let farFromBorder = 0;
    for (let r = 0; r < axial!.height; r++)
      for (let c = 0; c < axial!.width; c++) {
        const x = (c + 0.5) / scale - 0.5;
        const y = (r + 0.5) / scale - 0.5;
        const fromCentre = Math.hypot(x - lesionMm[0], y - lesionMm[1]);
        const outline = isOutline(rgb, r * axial!.width + c);
        if (outline) onBorder++;
        // Never far from the circle (one voxel of digitisation either side, plus the line).
        if (outline && Math.abs(fromCentre - radius) > 1.5) farFromBorder++;
      }
    expect(farFromBorder).toBe(0);
    // The border is drawn all the way round: at least one pixel per pixel of circumference.
    expect(onBorder).toBeGreaterThan(2 * Math.PI * radius * scale);
    // The inside of the lesion is not filled: its centre keeps the image's own grey.
    const centre =
      Math.round((lesionMm[1] + 0.5) * scale) * axial!.width +
      Math.round((lesionMm[0] + 0.5) * scale);
    expect(rgb[3 * centre]).toBe(rgb[3 * centre + 1]);
    expect(rgb[3 * centre]).toBeGreaterThan(200);
  });

  it('draws thick slices to scale: the coronal image of 1 × 1 × 5 mm voxels is 64 × 120 mm', () => {
    const { images } = renderKeyImages({ volume: { dims, spacing, data }, mask, size: 480 });
    const coronal = images.find((image) => image.plane === 'coronal')!;
    expect(coronal.height).toBe(480);
    expect(coronal.width).toBe(256); // 64 mm at 480/120 = 4 px per mm
    expect(coronal.mmPerPixel).toBeCloseTo(0.25, 6);
    expect(coronal.orientation).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    // Superior is up: the lesion (at z = 60 mm of 120) sits at mid-height, the head spans it.
    const rgb = pixels(coronal);
    const rowsWithOutline = new Set<number>();
    for (let i = 0; i < coronal.width * coronal.height; i++)
      if (isOutline(rgb, i)) rowsWithOutline.add(Math.floor(i / coronal.width));
    const rows = [...rowsWithOutline];
    // A 24 mm ball through 5 mm slices spans 5 slices (25 mm) = 100 px, around row 480 - 61·4.
    expect(Math.max(...rows) - Math.min(...rows)).toBeGreaterThan(90);
    expect(Math.abs((Math.max(...rows) + Math.min(...rows)) / 2 - (480 - 62.5 * 4))).toBeLessThan(
      12,
    );
  });

  it('shows an image, not a blank: the window spreads the head over the grey scale', () => {
    const { images } = renderKeyImages({ volume: { dims, spacing, data }, mask: null });
    const rgb = pixels(images[0]!);
    const greys = new Set<number>();
    for (let i = 0; i < rgb.length; i += 3) greys.add(rgb[i]!);
    expect(greys.size).toBeGreaterThan(30);
    expect(greys.has(0)).toBe(true); // air is black
    expect(images[0]!.caption).toMatch(/no lesion segmented/);
  });

  it('puts the patient’s left on the image’s right even when the columns run the other way', () => {
    // Columns run to the patient's right: the lesion at x = 40 (of 64) lies right of centre.
    const { images } = renderKeyImages({
      volume: { dims, spacing, data, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] },
      mask,
    });
    const axial = images[0]!;
    const rgb = pixels(axial);
    let sumColumn = 0;
    let n = 0;
    for (let i = 0; i < axial.width * axial.height; i++)
      if (isOutline(rgb, i)) [sumColumn, n] = [sumColumn + (i % axial.width), n + 1];
    // On the image it appears left of centre (the patient's right is on the viewer's left).
    expect(sumColumn / n).toBeLessThan(axial.width / 2 - 40);
  });

  it('blends the stored heatmap over the classified slice: warm where the heat is, grey elsewhere', () => {
    const heat = new Float32Array(64 * 64);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++)
        heat[y * 64 + x] = Math.max(0, 1 - Math.hypot(x - 40, y - 24) / 10);
    const png = encodePng(heatmapRgb(heat), 64, 64, 3);
    const { images } = renderKeyImages({
      volume: { dims, spacing, data },
      mask,
      heatmap: { png, slice: 12 },
    });
    const heatImage = images.at(-1)!;
    expect(heatImage.kind).toBe('heatmap');
    expect(heatImage.caption).toMatch(/^Axial, slice 13 of 24: class activation heatmap/);
    const rgb = pixels(heatImage);
    const at = (x: number, y: number): [number, number, number] => {
      const i = Math.round((y + 0.5) * 8) * heatImage.width + Math.round((x + 0.5) * 8);
      return [rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!];
    };
    // The hottest is pale yellow (blue pulled down), 4 mm out (heat 0.6) orange-red.
    const [r, , b] = at(40, 24);
    expect(r - b).toBeGreaterThan(30);
    const [r2, g2, b2] = at(44, 24);
    expect(r2 - g2).toBeGreaterThan(20);
    expect(r2 - b2).toBeGreaterThan(25);
    const cold = at(10, 40);
    expect(cold[0]).toBe(cold[1]);
    expect(cold[1]).toBe(cold[2]);
  });

  it('draws a 2D picture once, in pixels, and leaves out a heatmap of another size with a warning', () => {
    const picture = phantom([48, 32, 1], [1, 1, 1], [20, 15, 0], 6);
    const { images, warnings } = renderKeyImages({
      volume: { dims: [48, 32, 1], spacing: null, data: picture.data },
      mask: picture.mask,
      heatmap: { png: encodePng(new Uint8Array(10 * 10 * 3), 10, 10, 3), slice: 0 },
    });
    expect(images).toHaveLength(1);
    expect(images[0]!).toMatchObject({ plane: 'axial', mmPerPixel: null, orientation: null });
    expect(images[0]!.caption).toBe('Image: lesion outlined');
    expect([images[0]!.width, images[0]!.height]).toEqual([512, 341]);
    expect(warnings).toEqual([
      "The stored heatmap is 10 × 10 pixels but the scan's slices are 48 × 32; it was left out.",
    ]);
  });

  it('refuses a mask from another grid with a clear message', () => {
    expect(() =>
      renderKeyImages({ volume: { dims, spacing, data }, mask: new Uint8Array(10) }),
    ).toThrow(/does not belong to this scan's grid/);
  });
});
