import { describe, expect, it } from 'vitest';
import { affineOfGrid, voxelToPatient } from '../../../../../src-shared/geometry/affine.js';
import { voxelPoint } from '../../../../../src-shared/geometry/units.js';
import type { Vector3 } from '../../../../../src-shared/geometry/vector.js';
import {
  MPR_PLANES,
  edgeLabels,
  fittedRect,
  pixelAtPoint,
  planeLayout,
  planePointOf,
  voxelAt,
  type MprGrid,
  type MprPlane,
} from './mpr-geometry.js';
import { blendLabels, reformat, reformatLabels, slabRange, windowedRgba } from './mpr-reformat.js';

const AXIAL: MprGrid = {
  dims: [4, 5, 6],
  spacing: [0.5, 1, 2],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

/** A sagittal 3D acquisition, as DICOM stores it: columns run posterior, rows inferior, slices left. */
const SAGITTAL: MprGrid = {
  dims: [5, 6, 4],
  spacing: [1, 1.2, 0.8],
  direction: [
    [0, 1, 0],
    [0, 0, -1],
    [1, 0, 0],
  ],
};

/** A coronal acquisition with the slice axis towards anterior and rows inferior. */
const CORONAL: MprGrid = {
  dims: [6, 4, 5],
  spacing: [0.9, 1.1, 3],
  direction: [
    [1, 0, 0],
    [0, 0, -1],
    [0, -1, 0],
  ],
};

const DEGREES_20 = (20 * Math.PI) / 180;
/** An axial acquisition turned 20° about the patient's long axis. */
const OBLIQUE: MprGrid = {
  dims: [4, 5, 6],
  spacing: [1, 1, 1],
  direction: [
    [Math.cos(DEGREES_20), Math.sin(DEGREES_20), 0],
    [-Math.sin(DEGREES_20), Math.cos(DEGREES_20), 0],
    [0, 0, 1],
  ],
};

/** A volume with one voxel set (value 100) on zeros. */
function volumeWith(grid: MprGrid, voxel: Vector3, value = 100) {
  const [nx, ny, nz] = grid.dims;
  const data = new Float32Array(nx * ny * nz);
  data[voxel[0] + nx * (voxel[1] + ny * voxel[2])] = value;
  return { dims: grid.dims, data };
}

/** The patient position (LPS mm) of a voxel. */
function patientOf(grid: MprGrid, voxel: readonly number[]): Vector3 {
  const affine = affineOfGrid({
    spacing: [...grid.spacing],
    origin: [0, 0, 0],
    direction: grid.direction.map((d) => [...d]) as [Vector3, Vector3, Vector3],
  });
  const [x, y, z] = voxelToPatient(affine, voxelPoint(voxel as Vector3));
  return [x, y, z];
}

/** The patient axis (0 L, 1 P, 2 S) and sign each plane puts to the screen's right and down. */
const EXPECTED_SCREEN: Record<MprPlane, { right: [number, number]; down: [number, number] }> = {
  axial: { right: [0, 1], down: [1, 1] },
  coronal: { right: [0, 1], down: [2, -1] },
  sagittal: { right: [1, 1], down: [2, -1] },
};

describe('MPR planes of a known volume', () => {
  it('an axial volume: the set voxel appears at the expected pixel of each plane', () => {
    const volume = volumeWith(AXIAL, [1, 2, 3]);
    const axial = planeLayout(AXIAL, 'axial');
    expect(axial).toMatchObject({ width: 4, height: 5, depth: 6, through: 2 });
    const axialPicture = reformat(volume, axial, 3);
    expect(axialPicture[2 * 4 + 1]).toBe(100);
    expect(axialPicture.reduce((a, b) => a + b, 0)).toBe(100);
    expect(reformat(volume, axial, 2).every((v) => v === 0)).toBe(true);

    // Coronal: columns left-right (x = i), rows from the head down (y = 5 − k), slice j.
    const coronal = planeLayout(AXIAL, 'coronal');
    expect(coronal).toMatchObject({ width: 4, height: 6, depth: 5, through: 1 });
    const coronalPicture = reformat(volume, coronal, 2);
    expect(coronalPicture[(6 - 1 - 3) * 4 + 1]).toBe(100);
    expect(coronalPicture.reduce((a, b) => a + b, 0)).toBe(100);

    // Sagittal: anterior on the left (x = j), head up (y = 5 − k), slice i.
    const sagittal = planeLayout(AXIAL, 'sagittal');
    expect(sagittal).toMatchObject({ width: 5, height: 6, depth: 4, through: 0 });
    const sagittalPicture = reformat(volume, sagittal, 1);
    expect(sagittalPicture[(6 - 1 - 3) * 5 + 2]).toBe(100);
    expect(sagittalPicture.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('for axial, sagittal and coronal acquisitions, every plane runs the right patient way and shows each voxel where planePointOf says', () => {
    for (const grid of [AXIAL, SAGITTAL, CORONAL]) {
      const [nx, ny, nz] = grid.dims;
      const target: Vector3 = [nx - 2, 1, nz - 1];
      const volume = volumeWith(grid, target);
      for (const plane of MPR_PLANES) {
        const layout = planeLayout(grid, plane);
        expect(layout.width * layout.height * layout.depth).toBe(nx * ny * nz);
        // One pixel right and one pixel down move the patient position along the plane's axes.
        const here = patientOf(grid, voxelAt(layout, 1, 1, 1));
        const right = patientOf(grid, voxelAt(layout, 2, 1, 1));
        const below = patientOf(grid, voxelAt(layout, 1, 2, 1));
        const [rightAxis, rightSign] = EXPECTED_SCREEN[plane].right;
        const [downAxis, downSign] = EXPECTED_SCREEN[plane].down;
        expect(rightSign * (right[rightAxis]! - here[rightAxis]!)).toBeGreaterThan(0);
        expect(downSign * (below[downAxis]! - here[downAxis]!)).toBeGreaterThan(0);
        expect(Math.abs(right[downAxis]! - here[downAxis]!)).toBeCloseTo(0, 9);
        // Pixel sizes are the spacings of the axes shown.
        expect(Math.hypot(...right.map((v, a) => v - here[a]!))).toBeCloseTo(
          layout.pixelWidthMm,
          9,
        );
        expect(Math.hypot(...below.map((v, a) => v - here[a]!))).toBeCloseTo(
          layout.pixelHeightMm,
          9,
        );

        const { x, y, slice } = planePointOf(layout, target);
        expect(voxelAt(layout, x, y, slice)).toEqual(target);
        const picture = reformat(volume, layout, slice);
        expect(picture[y * layout.width + x]).toBe(100);
        expect(picture.reduce((a, b) => a + b, 0)).toBe(100);
      }
    }
  });

  it('a sagittal acquisition is shown natively in the sagittal plane and reformatted in the others', () => {
    const sagittal = planeLayout(SAGITTAL, 'sagittal');
    expect(sagittal).toMatchObject({
      across: { axis: 0, reversed: false },
      down: { axis: 1, reversed: false },
      through: 2,
      pixelWidthMm: 1,
      pixelHeightMm: 1.2,
      sliceSpacingMm: 0.8,
    });
    const axial = planeLayout(SAGITTAL, 'axial');
    // Left-right comes from the slice axis, front-back from the columns, slices from the rows.
    expect(axial).toMatchObject({
      across: { axis: 2, reversed: false },
      down: { axis: 0, reversed: false },
      through: 1,
      width: 4,
      height: 5,
      pixelWidthMm: 0.8,
      pixelHeightMm: 1,
      sliceSpacingMm: 1.2,
    });
  });
});

describe('orientation letters', () => {
  const letters = (grid: MprGrid, plane: MprPlane) => edgeLabels(grid, planeLayout(grid, plane));

  it('are the radiological ones for axial, sagittal and coronal acquisitions alike', () => {
    for (const grid of [AXIAL, SAGITTAL, CORONAL]) {
      expect(letters(grid, 'axial')).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
      expect(letters(grid, 'coronal')).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
      expect(letters(grid, 'sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    }
  });

  it('say how an oblique acquisition is tilted', () => {
    expect(letters(OBLIQUE, 'axial')).toEqual({ left: 'RA', right: 'LP', top: 'AL', bottom: 'PR' });
    // Its coronal and sagittal planes are its own grid's, tilted by 20° about S.
    expect(letters(OBLIQUE, 'coronal')).toEqual({ left: 'RA', right: 'LP', top: 'S', bottom: 'I' });
    expect(letters(OBLIQUE, 'sagittal')).toEqual({
      left: 'AL',
      right: 'PR',
      top: 'S',
      bottom: 'I',
    });
  });
});

describe('thick slabs', () => {
  // Values along the slice axis 10, 20, 30, …; the voxel (0, 0, 2) is darker (−5).
  const grid = AXIAL;
  const [nx, ny, nz] = grid.dims;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = (k + 1) * 10;
  data[0 + nx * (0 + ny * 2)] = -5;
  const volume = { dims: grid.dims, data };
  const axial = planeLayout(grid, 'axial');

  it('cover the whole slices that fit in the thickness, centred, cut at the ends', () => {
    expect(slabRange(axial, 3, 6)).toEqual({ first: 2, last: 4 }); // 3 slices of 2 mm
    expect(slabRange(axial, 3, 1)).toEqual({ first: 3, last: 3 }); // thinner than a slice
    expect(slabRange(axial, 3, 8)).toEqual({ first: 2, last: 5 }); // even: the extra one after
    expect(slabRange(axial, 0, 10)).toEqual({ first: 0, last: 2 });
    expect(slabRange(axial, 5, 10)).toEqual({ first: 3, last: 5 });
  });

  it('MIP, MinIP and average give the maximum, minimum and mean along the normal', () => {
    const mip = reformat(volume, axial, 3, { mode: 'mip', thicknessMm: 6 });
    const minip = reformat(volume, axial, 3, { mode: 'minip', thicknessMm: 6 });
    const average = reformat(volume, axial, 3, { mode: 'average', thicknessMm: 6 });
    expect(mip[5]).toBe(50);
    expect(minip[5]).toBe(30);
    expect(average[5]).toBeCloseTo(40, 6);
    // The dark voxel on slice 2 is inside the slab.
    expect(mip[0]).toBe(50);
    expect(minip[0]).toBe(-5);
    expect(average[0]).toBeCloseTo((-5 + 40 + 50) / 3, 4);
    // Thin: the slice itself.
    expect(reformat(volume, axial, 3)[0]).toBe(40);
  });

  it('work the same in a reformatted plane (coronal: the slab runs front to back)', () => {
    const coronal = planeLayout(grid, 'coronal');
    const mip = reformat(volume, coronal, 0, { mode: 'minip', thicknessMm: 3 });
    // Slice 0 of 1 mm spacing, 3 slices: j = 0..1 at the front end; the dark voxel is at j = 0,
    // k = 2, shown on row 6 − 1 − 2 = 3.
    expect(mip[3 * 4 + 0]).toBe(-5);
    expect(mip[3 * 4 + 1]).toBe(30);
  });

  it('labels take the highest label along the slab', () => {
    const labels = new Uint8Array(nx * ny * nz);
    labels[1 + nx * (1 + ny * 2)] = 2;
    labels[1 + nx * (1 + ny * 4)] = 4;
    const volumeLabels = { dims: grid.dims, data: labels };
    expect(reformatLabels(volumeLabels, axial, 3)[1 * 4 + 1]).toBe(0);
    expect(reformatLabels(volumeLabels, axial, 2)[1 * 4 + 1]).toBe(2);
    expect(reformatLabels(volumeLabels, axial, 3, { mode: 'mip', thicknessMm: 6 })[5]).toBe(4);
  });
});

describe('aspect and picture', () => {
  it('keeps the physical aspect of anisotropic pixels', () => {
    // 4 × 6 pixels of 1 × 3 mm: 4 mm wide, 18 mm high, drawn in a 100 × 100 box.
    const rect = fittedRect({ width: 4, height: 6, pixelWidthMm: 1, pixelHeightMm: 3 }, 100, 100);
    expect(rect.height).toBeCloseTo(100, 9);
    expect(rect.width).toBeCloseTo((100 * 4) / 18, 9);
    expect(rect.x).toBeCloseTo((100 - rect.width) / 2, 9);
    expect(pixelAtPoint({ width: 4, height: 6 }, rect, { x: 50, y: 99 })).toEqual({ x: 2, y: 5 });
    expect(pixelAtPoint({ width: 4, height: 6 }, rect, { x: 0, y: -3 })).toEqual({ x: 0, y: 0 });
  });

  it('windows modality values to grey and blends labels in their colour', () => {
    const rgba = windowedRgba(new Float32Array([-100, 0, 60, 100, 300]), {
      center: 50,
      width: 100,
    });
    expect([rgba[0], rgba[4], rgba[8], rgba[12], rgba[16]]).toEqual([0, 0, 153, 255, 255]);
    expect(windowedRgba(new Float32Array([0]), { center: 50, width: 100 }, true)[0]).toBe(255);
    const palette = new Uint8ClampedArray(256 * 4);
    palette.set([255, 0, 0, 255], 4);
    blendLabels(rgba, new Uint8Array([0, 1, 0, 0, 0]), palette);
    expect([...rgba.slice(4, 8)]).toEqual([255, 0, 0, 255]);
    expect([...rgba.slice(8, 12)]).toEqual([153, 153, 153, 255]);
  });
});
