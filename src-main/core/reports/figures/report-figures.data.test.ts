import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../../test-support/shared-data.js';
import { extractDetections } from '../../analysis/metrics/detections.js';
import type { DirectionCosines } from '../../analysis/metrics/location.js';
import { readNiftiVolume } from '../../imaging/nifti/nifti-volume.js';
import { decodePng } from '../../imaging/png-decode.js';
import { OUTLINE_RGB } from './key-images.js';
import { computeReportFigures } from './report-figures.js';

// The figures of a real brain tumour: a BraTS 2018 FLAIR volume (240 × 240 × 155, 1 mm) with its
// expert whole-tumour label as the mask, checked against the analysis's own measurements.
const present = hasSharedData('brats2018-3d-nifti', 'SOURCE.md');

describe.skipIf(!present)('report figures of a BraTS volume', () => {
  it('measures, draws and times a real tumour', () => {
    const caseId = 'Brats18_TCIA01_201_1';
    const folder = join(SHARED_DATA, 'brats2018-3d-nifti', caseId);
    const read = (kind: string) =>
      readNiftiVolume(readFileSync(join(folder, `${caseId}_${kind}.nii.gz`)), {
        maxBytes: 1 << 30,
      });
    const flair = read('flair');
    const label = read('seg');
    const mask = Uint8Array.from(label.data, (v) => (v > 0 ? 1 : 0));
    const direction = flair.direction.flat() as DirectionCosines;
    const volume = {
      dims: flair.dims,
      spacing: flair.spacing,
      direction,
      data: Float32Array.from(flair.data),
    };

    computeReportFigures({ volume, mask, minComponentVoxels: 10 }); // warm up the JIT
    const cpu = process.cpuUsage();
    const started = performance.now();
    const figures = computeReportFigures({ volume, mask, minComponentVoxels: 10 });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const [largest] = figures.diameters;
    console.log(
      `${caseId}: figures in ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (diameters ${figures.timingsMs.diameters.toFixed(0)}, ` +
        `key images ${figures.timingsMs.keyImages.toFixed(0)}); det-1 ${largest!.maxDiameter.length.toFixed(1)} mm, ` +
        `axial ${largest!.axial.longest.length.toFixed(1)} × ${largest!.axial.perpendicular.length.toFixed(1)} mm ` +
        `on slice ${largest!.axial.slice + 1}`,
    );
    // The same lesions, in the same order, as the analysis's detections of this mask; the 3D
    // diameter within 5 % of the analysis's (measured on its smoothed surface mesh).
    const detections = extractDetections({
      mask,
      dims: flair.dims,
      spacing: flair.spacing,
      direction,
      minComponentVoxels: 10,
    });
    expect(figures.diameters.map((d) => [d.detectionId, d.voxelCount])).toEqual(
      detections.map((d) => [d.detectionId, d.voxelCount]),
    );
    const analysed =
      detections[0]!.metrics.kind === 'volume' ? detections[0]!.metrics.diameter_mm : NaN;
    expect(Math.abs(largest!.maxDiameter.length - analysed) / analysed).toBeLessThan(0.05);
    expect(largest!.axial.perpendicular.length).toBeLessThanOrEqual(
      largest!.axial.longest.length + 0.5,
    );
    expect(largest!.axial.longest.length).toBeLessThanOrEqual(largest!.maxDiameter.length + 0.5);

    // Three key images, not blank, each with the outline drawn.
    const { images } = figures.keyImages;
    expect(images.map((image) => image.plane)).toEqual(['axial', 'coronal', 'sagittal']);
    for (const image of images) {
      const rgb = decodePng(image.png).data as Uint8Array;
      const greys = new Set<number>();
      let outline = 0;
      for (let i = 0; i < rgb.length; i += 3) {
        if (
          rgb[i] === OUTLINE_RGB[0] &&
          rgb[i + 1] === OUTLINE_RGB[1] &&
          rgb[i + 2] === OUTLINE_RGB[2]
        )
          outline++;
        else greys.add(rgb[i]!);
      }
      expect(greys.size).toBeGreaterThan(100);
      expect(outline).toBeGreaterThan(100);
    }
    expect(wallMs).toBeLessThan(10_000);
  }, 60_000);
});
