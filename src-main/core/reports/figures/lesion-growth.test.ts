import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../analysis/metrics/types.js';
import { DAYS_PER_MONTH, lesionGrowth, type GrowthLesionInput } from './lesion-growth.js';

function lesion(
  detectionId: string,
  centroid: Vec3 | null,
  volume_mm3: number,
  maxDiameter_mm: number,
  axial: [number, number] = [maxDiameter_mm, maxDiameter_mm / 2],
): GrowthLesionInput {
  return {
    detectionId,
    centroidPatientMm: centroid,
    volume_mm3,
    maxDiameter_mm,
    longestAxial_mm: axial[0],
    perpendicularAxial_mm: axial[1],
  };
}

describe('lesionGrowth', () => {
  it('follows a growing lesion, reports a vanished and a new one, with % and per month', () => {
    const growth = lesionGrowth([
      // Given out of order: sorted by date.
      {
        id: 'b',
        date: '2024-03-01',
        lesions: [
          lesion('det-1', [13, 40, 20], 1500, 16, [15, 10]),
          lesion('det-2', [-40, 0, 0], 300, 9),
        ],
      },
      {
        id: 'a',
        date: '2024-01-01',
        lesions: [
          lesion('det-1', [10, 40, 20], 1000, 14, [12, 10]),
          lesion('det-2', [60, 0, 0], 200, 8),
        ],
      },
    ]);
    expect(growth.timepoints).toEqual([
      { id: 'a', date: '2024-01-01' },
      { id: 'b', date: '2024-03-01' },
    ]);
    const days = 60; // January (31) and February 2024 (29)
    const months = days / DAYS_PER_MONTH;
    const [grown, newcomer, gone] = growth.tracks;
    // L1: det-1 moved 3 mm: the same lesion, 1000 → 1500 mm³.
    expect(grown!.trackId).toBe('L1');
    expect(grown!.points.map((p) => p.detectionId)).toEqual(['det-1', 'det-1']);
    expect([grown!.isNew, grown!.hasVanished]).toEqual([false, false]);
    const change = grown!.points[1]!.vsPrevious!;
    expect(change.days).toBe(60);
    expect(change.volumePercent).toBeCloseTo(50, 9);
    expect(change.volumePercentPerMonth).toBeCloseTo(50 / months, 9);
    expect(change.volume_mL_perMonth).toBeCloseTo(0.5 / months, 9); // 0.2537 mL per month
    expect(change.maxDiameterPercent).toBeCloseTo((100 * 2) / 14, 9);
    expect(change.maxDiameter_mm_perMonth).toBeCloseTo(2 / months, 9);
    expect(change.productPercent).toBeCloseTo(((150 - 120) / 120) * 100, 9);
    expect(grown!.points[1]!.vsFirst).toEqual(change);
    expect(grown!.points[0]!.vsPrevious).toBeNull();
    // L2: det-2 of March lies 100 mm from det-2 of January: a new lesion, nothing to compare.
    expect(newcomer!.isNew).toBe(true);
    expect(newcomer!.points.map((p) => [p.seen, p.volume_mm3])).toEqual([
      [false, 0],
      [true, 300],
    ]);
    expect(newcomer!.points[1]!.vsPrevious!.volumePercent).toBeNull();
    expect(newcomer!.points[1]!.vsPrevious!.volume_mL_perMonth).toBeCloseTo(0.3 / months, 9);
    // L3: January's det-2 is gone: -100 %.
    expect(gone!.hasVanished).toBe(true);
    expect(gone!.points[1]!).toMatchObject({ seen: false, detectionId: null, volume_mm3: 0 });
    expect(gone!.points[1]!.vsPrevious!.volumePercent).toBe(-100);
    expect(growth.notes).toEqual([]);
  });

  it('gives % but no rate for two studies on the same date, and says so', () => {
    const growth = lesionGrowth([
      { id: 'a', date: '2024-05-02', lesions: [lesion('det-1', [0, 0, 0], 2000, 20)] },
      { id: 'b', date: '2024-05-02T15:00:00Z', lesions: [lesion('det-1', [1, 0, 0], 2200, 20)] },
    ]);
    const change = growth.tracks[0]!.points[1]!.vsPrevious!;
    expect(change).toMatchObject({
      days: 0,
      volume_mL_perMonth: null,
      volumePercentPerMonth: null,
    });
    expect(change.volumePercent).toBeCloseTo(10, 9);
    expect(growth.notes).toEqual([
      'Two studies are dated 2024-05-02T15:00:00Z: changes between them have no rate per month.',
    ]);
  });

  it('matches within 10 mm plus half the larger diameter, similar sizes first', () => {
    const growth = lesionGrowth([
      {
        id: 'a',
        date: '2023-01-01',
        lesions: [lesion('det-1', [0, 0, 0], 5000, 30), lesion('det-2', [0, 0, 40], 100, 6)],
      },
      {
        id: 'b',
        date: '2023-07-01',
        // det-1 grew 24 mm upwards (within 10 + 15), 16 mm from a's small det-2: it keeps its own
        // history. b's det-2 is 16 mm from a's det-2, beyond 10 + 3: a new lesion.
        lesions: [lesion('det-1', [0, 0, 24], 6000, 30), lesion('det-2', [0, 0, 56], 120, 6)],
      },
    ]);
    expect(growth.tracks.map((t) => t.points.map((p) => p.detectionId))).toEqual([
      ['det-1', 'det-1'],
      [null, 'det-2'],
      ['det-2', null],
    ]);
  });

  it('keeps lesions without a position apart, and says why', () => {
    const growth = lesionGrowth([
      { id: 'a', date: '2024-01-01', lesions: [lesion('det-1', null, 1000, 10)] },
      { id: 'b', date: '2024-02-01', lesions: [lesion('det-1', null, 1000, 10)] },
    ]);
    expect(growth.tracks).toHaveLength(2);
    expect(growth.notes).toHaveLength(2);
    expect(growth.notes[0]).toMatch(/det-1 of 2024-01-01 has no position in patient space/);
  });

  it('handles a single time point and refuses an undated one', () => {
    const single = lesionGrowth([
      { id: 'a', date: '2024-01-01', lesions: [lesion('det-1', [0, 0, 0], 1000, 10)] },
    ]);
    expect(single.tracks[0]!.points[0]!).toMatchObject({ vsPrevious: null, vsFirst: null });
    expect(() => lesionGrowth([{ id: 'a', date: 'yesterday', lesions: [] }])).toThrow(
      /"yesterday" is not a date/,
    );
  });
});
