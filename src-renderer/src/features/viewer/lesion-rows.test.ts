import { describe, expect, it } from 'vitest';
import type { BrainTumourFindings, Detection } from '../../../../src-shared/contract/analysis.js';
import { lesionFrame, lesionRows } from './lesion-rows.js';

const location = (description: string): Detection['location'] => ({
  approximate: true,
  hemisphere: null,
  region: null,
  description,
});

function volumeLesion(
  id: string,
  slices: [number, number],
  centreZ: number,
  confidence: number | null,
): Detection {
  return {
    detectionId: id,
    class: 'tumour',
    confidence,
    voxelCount: 500,
    units: 'mm',
    boundingBox: { voxels: { min: [4, 4, slices[0]], max: [12, 12, slices[1]] }, mm: null },
    centroid: { voxels: [8, 8, centreZ], mm: null },
    metrics: {
      kind: 'volume',
      volume_mm3: 14_612.4,
      surface_area_mm2: 3000,
      diameter_mm: 34.06,
      sphericity: 0.9,
      elongation: 0.8,
      flatness: 0.7,
      compactness: 0.6,
    },
    size: '3.2 × 2.8 × 2.5 cm (14.6 mL)',
    location: location('Left frontal lobe (approximate)'),
  };
}

const sliceLesion: Detection = {
  detectionId: 'det-2',
  class: 'tumour',
  confidence: null,
  voxelCount: 80,
  units: 'pixels',
  boundingBox: { voxels: { min: [0, 0, 0], max: [9, 9, 0] }, mm: null },
  centroid: { voxels: [5, 5, 0], mm: null },
  metrics: {
    kind: 'slice',
    area: 80,
    perimeter: 30,
    diameter: 12.345,
    circularity: 1,
    elongation: 1,
  },
  size: '10 × 10 px (area 80 px²)',
  location: location('Right hemisphere (approximate)'),
};

function findingsOf(detections: Detection[]): BrainTumourFindings {
  return {
    kind: 'brain-tumour',
    tumourDetected: detections.length > 0,
    location: null,
    size: null,
    overallConfidence: null,
    detections,
    summary: { count: 0, totalVolume_mm3: null, averageConfidence: null, largestDiameter_mm: null },
    classification: null,
  };
}

describe('lesion rows', () => {
  it('lists each lesion with its location, volume in mL, largest diameter and confidence', () => {
    const rows = lesionRows(
      findingsOf([volumeLesion('det-1', [4, 9], 6.4, 0.874), sliceLesion]),
      16,
    );
    expect(rows).toEqual([
      {
        detectionId: 'det-1',
        name: 'Lesion 1',
        location: 'Left frontal lobe (approximate)',
        extent: '14.6 mL',
        extentKind: 'volume',
        maxDiameter: '34.1 mm',
        dimensions: null,
        confidence: '87%',
        frame: 6,
      },
      {
        detectionId: 'det-2',
        name: 'Lesion 2',
        location: 'Right hemisphere (approximate)',
        extent: '80 px²',
        extentKind: 'area',
        maxDiameter: '12.3 px',
        dimensions: null,
        confidence: null,
        frame: 0,
      },
    ]);
    expect(lesionRows(findingsOf([]), 16)).toEqual([]);
  });

  it('gives the extent along the image axes from the bounding box in mm', () => {
    const lesion = volumeLesion('det-1', [4, 9], 6.4, 0.874);
    const withMm: Detection = {
      ...lesion,
      boundingBox: {
        ...lesion.boundingBox,
        mm: { min: [0, 0, 0], max: [32, 28, 25], size: [32.4, 28, 25] },
      },
    };
    expect(lesionRows(findingsOf([withMm]), 16)[0]!.dimensions).toBe('32.4 × 28 × 25 mm');
    const slice: Detection = {
      ...sliceLesion,
      boundingBox: {
        ...sliceLesion.boundingBox,
        mm: { min: [0, 0, 0], max: [9, 9, 0], size: [9, 9, 1] },
      },
    };
    expect(lesionRows(findingsOf([slice]), 16)[0]!.dimensions).toBe('9 × 9 mm');
  });

  it('goes to the slice through the centroid, kept on the lesion and inside the series', () => {
    expect(lesionFrame(volumeLesion('a', [4, 9], 6.4, null), 16)).toBe(6);
    expect(lesionFrame(volumeLesion('a', [4, 9], 6.5, null), 16)).toBe(7);
    // A curved lesion whose centroid falls outside its own slices: its nearest slice.
    expect(lesionFrame(volumeLesion('a', [4, 9], 2.2, null), 16)).toBe(4);
    expect(lesionFrame(volumeLesion('a', [4, 9], 11, null), 16)).toBe(9);
    // A mask longer than the series shown (never expected): the last slice, not past it.
    expect(lesionFrame(volumeLesion('a', [4, 9], 6.4, null), 5)).toBe(4);
  });
});
