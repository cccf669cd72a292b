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
