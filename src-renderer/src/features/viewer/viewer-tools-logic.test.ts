import { describe, expect, it } from 'vitest';
import {
  affineFromPoints,
  labelColour,
  labelledFrames,
  labelledPixelCount,
  labelSliceRgba,
  type LabelVolume,
} from './label-overlay.js';
import {
  ellipseAreaOf,
  ellipseStatistics,
  lengthOf,
  measurementLabel,
  valueUnitFor,
} from './measurements.js';
import { directionLetters, orientationMarkers, rotatedBy } from './orientation-markers.js';
import { syncedIndex, type SyncGeometry } from './series-sync.js';

// Axial slice in LPS: columns run to the patient's left, rows to posterior.
const AXIAL = { column: [1, 0, 0], row: [0, 1, 0] } as const;
const SAGITTAL = { column: [0, 1, 0], row: [0, 0, -1] } as const;
const CORONAL = { column: [1, 0, 0], row: [0, 0, -1] } as const;
const PLAIN = { rotation: 0, hflip: false, vflip: false };

describe('orientation markers', () => {
  it('label axial, sagittal and coronal images as a radiologist reads them', () => {
    expect(orientationMarkers(AXIAL.column, AXIAL.row, PLAIN)).toEqual({
      left: 'R',
      right: 'L',
      top: 'A',
      bottom: 'P',
    });
    expect(orientationMarkers(SAGITTAL.column, SAGITTAL.row, PLAIN)).toEqual({
      left: 'A',
      right: 'P',
      top: 'S',
      bottom: 'I',
    });
    expect(orientationMarkers(CORONAL.column, CORONAL.row, PLAIN)).toEqual({
      left: 'R',
      right: 'L',
      top: 'S',
      bottom: 'I',
    });
  });

  it('follow a horizontal flip, a vertical flip and a clockwise rotation', () => {
    expect(orientationMarkers(AXIAL.column, AXIAL.row, { ...PLAIN, hflip: true })).toMatchObject({
      left: 'L',
      right: 'R',
      top: 'A',
    });
    expect(orientationMarkers(AXIAL.column, AXIAL.row, { ...PLAIN, vflip: true })).toMatchObject({
      top: 'P',
      bottom: 'A',
      left: 'R',
    });
    // Turned 90° clockwise: what was on the left (R) is now at the top.
    expect(orientationMarkers(AXIAL.column, AXIAL.row, { ...PLAIN, rotation: 90 })).toEqual({
      top: 'R',
      right: 'A',
      bottom: 'L',
      left: 'P',
    });
  });

  it('give two letters to an oblique direction, strongest first, and none to noise', () => {
    expect(directionLetters([0.8, -0.6, 0])).toBe('LA');
    expect(directionLetters([0.1, 0, -0.99])).toBe('I');
    expect(directionLetters([0, 0, 0])).toBe('');
  });

  it('keep rotation within a turn', () => {
    expect(rotatedBy(270, 90)).toBe(0);
    expect(rotatedBy(0, -90)).toBe(270);
  });
});

describe('measurements', () => {
  it('measure a length in mm with different row and column spacing, or in pixels without', () => {
    expect(lengthOf({ x: 0, y: 0 }, { x: 30, y: 40 }, [0.5, 0.5]).value).toBeCloseTo(25);
    expect(lengthOf({ x: 0, y: 0 }, { x: 10, y: 10 }, [1, 2]).value).toBeCloseTo(
      Math.hypot(10, 20),
    );
    expect(lengthOf({ x: 0, y: 0 }, { x: 3, y: 4 }, null)).toEqual({ value: 5, unit: 'px' });
  });

  it('measure an ellipse area as π·a·b in mm²', () => {
    const area = ellipseAreaOf({ x: 10, y: 10 }, { x: 30, y: 50 }, [0.5, 1]);
    expect(area.unit).toBe('mm²');
    expect(area.value).toBeCloseTo(Math.PI * 5 * 20);
  });

  it('average the modality values of the pixels inside an ellipse only', () => {
    // 10×10 frame: left half stored 100, right half 300; slope 1, intercept −1024 (CT).
    const values = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 100 : 300));
    const frame = { columns: 10, rows: 10, values, slope: 1, intercept: -1024 };
    const left = ellipseStatistics({ x: 0, y: 0 }, { x: 5, y: 10 }, frame)!;
    expect(left.mean).toBe(-924);
    expect(left.sd).toBe(0);
    const whole = ellipseStatistics({ x: 0, y: 0 }, { x: 10, y: 10 }, frame)!;
    expect(whole.min).toBe(-924);
    expect(whole.max).toBe(-724);
    expect(whole.pixels).toBeLessThan(100); // the corners are outside the ellipse
    expect(whole.mean).toBeCloseTo(-824, 0);
    expect(ellipseStatistics({ x: 2, y: 2 }, { x: 2, y: 8 }, frame)).toBeNull();
  });

  it('label lengths and regions with their units', () => {
    expect(
      measurementLabel(
        {
          kind: 'length',
          points: [
            { x: 0, y: 0 },
            { x: 84.6, y: 0 },
          ],
          label: '',
        },
        [0.5, 0.5],
        null,
        '',
      ),
    ).toBe('42.3 mm');
    const frame = { columns: 4, rows: 4, values: new Array(16).fill(40), slope: 1, intercept: 0 };
    expect(
      measurementLabel(
        {
          kind: 'ellipse',
          points: [
            { x: 0, y: 0 },
            { x: 4, y: 4 },
          ],
          label: 'ROI 1',
        },
        null,
        frame,
        'HU',
      ),
    ).toBe('12.6 px² · 40.0 ± 0.0 HU · ROI 1');
    expect(
      measurementLabel(
        {
          kind: 'angle',
          points: [
            { x: 10, y: 0 },
            { x: 0, y: 0 },
            { x: 0, y: 10 },
          ],
          label: '',
        },
        [1, 1],
        null,
        'HU',
      ),
    ).toBe('90.0°');
    expect(
      measurementLabel(
        {
          kind: 'arrow',
          points: [
            { x: 0, y: 0 },
            { x: 5, y: 5 },
          ],
          label: 'rim',
        },
        null,
        null,
        'HU',
      ),
    ).toBe('rim');
    expect(valueUnitFor('CT')).toBe('HU');
    // MR intensities have no fixed scale: arbitrary units, never HU.
    expect(valueUnitFor('MR')).toBe('a.u.');
  });
});

describe('synchronised scrolling of two series', () => {
  const axial = (z0: number, step: number, slices: number): SyncGeometry => ({
    origin: [0, 0, z0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    spacing: [1, 1, step],
    slices,
  });

  it('finds the slice at the same position along the normal', () => {
    // A: 5 mm slices from z = 0; B: 1 mm slices from z = 10. A's slice 4 (z = 20) is B's 10.
    expect(syncedIndex(axial(0, 5, 20), 4, axial(10, 1, 100))).toBe(10);
    expect(syncedIndex(axial(10, 1, 100), 10, axial(0, 5, 20))).toBe(4);
    // Beyond the other stack's ends: its first or last slice.
    expect(syncedIndex(axial(0, 5, 20), 0, axial(10, 1, 100))).toBe(0);
    expect(syncedIndex(axial(0, 5, 20), 19, axial(10, 1, 30))).toBe(29);
  });

  it('falls back to the same relative position without geometry or with crossing planes', () => {
    const none: SyncGeometry = { origin: null, direction: null, spacing: null, slices: 11 };
    expect(syncedIndex(none, 5, { ...none, slices: 21 })).toBe(10);
    const sagittal: SyncGeometry = {
      ...axial(0, 1, 101),
      direction: [
        [0, 1, 0],
        [0, 0, -1],
        [1, 0, 0],
      ],
    };
    expect(syncedIndex(axial(0, 5, 21), 20, sagittal)).toBe(100);
    expect(syncedIndex({ ...none, slices: 1 }, 0, { ...none, slices: 9 })).toBe(4);
  });
});

describe('label overlay', () => {
  const volume: LabelVolume = {
    columns: 2,
    rows: 2,
    frames: 3,
    data: Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 4, 0, 0, 0, 0]),
  };

  it('paints labelled pixels in their colour at the chosen opacity and leaves the rest clear', () => {
    const rgba = labelSliceRgba(volume, 1, 0.5)!;
    expect([...rgba.slice(0, 4)]).toEqual([...labelColour(1), 128]);
    expect([...rgba.slice(4, 8)]).toEqual([0, 0, 0, 0]);
    expect([...rgba.slice(12, 16)]).toEqual([...labelColour(4), 128]);
    expect(labelColour(1)).not.toEqual(labelColour(4));
    expect(labelSliceRgba(volume, 1, 0)![3]).toBe(0);
    expect(labelSliceRgba(volume, 3, 1)).toBeNull();
  });

  it('counts labelled pixels per frame and lists the frames that have any', () => {
    expect(labelledPixelCount(volume, 1)).toBe(2);
    expect(labelledPixelCount(volume, 0)).toBe(0);
    expect(labelledFrames(volume)).toEqual([1]);
  });

  it('builds the canvas transform from where three image points land', () => {
    // Zoom ×2, rotated 90° clockwise, origin at (100, 20).
    expect(affineFromPoints({ x: 100, y: 20 }, { x: 100, y: 22 }, { x: 98, y: 20 })).toEqual([
      0, 2, -2, 0, 100, 20,
    ]);
  });
});
