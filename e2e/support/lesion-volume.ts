import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureUid, makeDicom } from '../../src-main/test-support/dicom-fixtures.js';
import { makeNifti } from '../../src-main/test-support/volume-fixtures.js';

/**
 * A 1 mm axial "FLAIR" volume, 256 × 256 × 12: a head-shaped ellipse of mildly textured brain
 * inside a darker rim, with two bright blobs that the shipped LGG FLAIR model segments as two
 * lesions: a large one over all slices (centre on slice 7) and a small one on slices 7–11
 * (centre on slice 10). `variant` changes one corner voxel, so a rerun imports a new file
 * rather than a duplicate.
 */
export function makeLesionVolume(variant: number): Buffer {
  return makeNifti({
    dims: [256, 256, 12],
    gzip: true,
    voxel: (i, j, k) => {
      if (i === 0 && j === 0 && k === 0) return variant % 100;
      const ellipse = ((i - 128) / 85) ** 2 + ((j - 128) / 105) ** 2;
      if (ellipse > 1.15) return 0;
      if (ellipse > 1) return 120;
      const texture = 30 * Math.sin(i / 6) * Math.cos(j / 7);
      const large = Math.hypot(i - 90, j - 100, (k - 6) * 3);
      const small = Math.hypot(i - 170, j - 160, (k - 8) * 4);
      // Soft edges, as a real hyperintensity fades into the surrounding brain.
      const weight =
        Math.max(0, Math.min(1, (28 - large) / 6)) + Math.max(0, Math.min(1, (14 - small) / 4));
      return Math.round(250 + texture + weight * 250);
    },
  });
}

/**
 * The same head as a DICOM MR "AX FLAIR" study of one patient on `studyDate`, the large lesion
 * `growth` times its radius in makeLesionVolume: two studies of different dates and growths are
 * a follow-up for "growth over time". Returns the slice paths.
 */
export function writeFlairStudy(
  dir: string,
  options: { patientId: string; patientName: string; studyDate: string; growth: number },
): string[] {
  const studyInstanceUid = fixtureUid();
  const seriesInstanceUid = fixtureUid();
  mkdirSync(dir, { recursive: true });
  const radius = 20 * options.growth;
  return Array.from({ length: 12 }, (_, k) => {
    const path = join(dir, `slice-${String(k + 1).padStart(3, '0')}.dcm`);
    const bytes = makeDicom({
      patientId: options.patientId,
      patientName: options.patientName,
      studyDate: options.studyDate,
      studyDescription: 'MRI BRAIN',
      seriesDescription: 'AX FLAIR',
      modality: 'MR',
      studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid: `${seriesInstanceUid}.${k + 1}`,
      instanceNumber: k + 1,
      rows: 256,
      columns: 256,
      pixelSpacing: [1, 1],
      sliceThickness: 1,
      imagePosition: [0, 0, k],
      pixel: (j, i) => {
        const ellipse = ((i - 128) / 85) ** 2 + ((j - 128) / 105) ** 2;
        if (ellipse > 1.15) return 0;
        if (ellipse > 1) return 120;
        const texture = 30 * Math.sin(i / 6) * Math.cos(j / 7);
        const large = Math.hypot(i - 90, j - 100, (k - 6) * 3);
        const weight = Math.max(0, Math.min(1, (radius + 8 - large) / 6));
        return Math.round(250 + texture + weight * 250);
      },
    });
    writeFileSync(path, bytes);
    return path;
  });
}
