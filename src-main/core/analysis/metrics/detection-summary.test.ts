import { describe, expect, it } from 'vitest';
import type { Detection } from './detection.js';
import { formatDetectionSize, summarise } from './detection-summary.js';
import { estimateLocation } from './location.js';

const location = estimateLocation({
  centroidVoxel: [1, 1, 1],
  brainBox: { min: [0, 0, 0], max: [2, 2, 2] },
  spacing: [1, 1, 1],
});

function volumeDetection(volume: number, diameter: number, confidence: number | null): Detection {
  return {
    detectionId: 'det-x',
    voxelCount: volume,
    confidence,
    units: 'mm',
    boundingBox: {
      voxels: { min: [0, 0, 0], max: [31, 27, 24] },
      mm: { min: [0, 0, 0], max: [31, 27, 24], size: [32, 28, 25] },
    },
    centroid: { voxels: [15, 13, 12], mm: [15, 13, 12] },
    metrics: {
      kind: 'volume',
      volume_mm3: volume,
      surface_area_mm2: 1,
      diameter_mm: diameter,
      sphericity: 1,
      elongation: 1,
      flatness: 1,
      compactness: 1,
    },
    location,
  };
}

function sliceDetection(units: 'mm' | 'pixels'): Detection {
  return {
    ...volumeDetection(1, 1, null),
    units,
    boundingBox: {
      voxels: { min: [10, 20, 0], max: [129, 117, 0] },
      mm: units === 'mm' ? { min: [5, 10, 0], max: [64.5, 58.5, 0], size: [60, 49, 5] } : null,
    },
    metrics: {
      kind: 'slice',
      area: 9300.4,
      perimeter: 1,
      diameter: 130,
      circularity: 1,
      elongation: 1,
    },
  };
}

describe('detection summary', () => {
  it('adds volumes, averages confidences and finds the largest diameter', () => {
    const summary = summarise([volumeDetection(14_600, 35, 0.9), volumeDetection(400, 12, 0.7)]);
    expect(summary).toEqual({
      count: 2,
      totalVolume_mm3: 15_000,
      averageConfidence: 0.8,
      largestDiameter_mm: 35,
    });
  });

  it('leaves out what is unknown: confidences, volumes of slices, pixel diameters', () => {
    expect(summarise([])).toEqual({
      count: 0,
      totalVolume_mm3: 0,
      averageConfidence: null,
      largestDiameter_mm: null,
    });
    expect(summarise([sliceDetection('pixels')])).toMatchObject({
      totalVolume_mm3: null,
      largestDiameter_mm: null,
    });
    expect(summarise([sliceDetection('mm')]).largestDiameter_mm).toBe(130);
  });
});

describe('size line for the report', () => {
  it('gives the extent in cm and the volume in mL', () => {
    expect(formatDetectionSize(volumeDetection(14_600, 35, null))).toBe(
      '3.2 × 2.8 × 2.5 cm (14.6 mL)',
    );
    expect(formatDetectionSize(volumeDetection(35, 5, null))).toBe('3.2 × 2.8 × 2.5 cm (0.035 mL)');
  });

  it('gives a slice in cm² or, without spacing, in pixels', () => {
    expect(formatDetectionSize(sliceDetection('mm'))).toBe('6.0 × 4.9 cm (area 93.0 cm²)');
    expect(formatDetectionSize(sliceDetection('pixels'))).toBe('120 × 98 px (area 9300 px²)');
  });
});
