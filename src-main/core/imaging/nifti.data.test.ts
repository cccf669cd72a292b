import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { parseDicom } from './dicom/parse-dicom.js';
import { describePixels } from './dicom/pixel-description.js';
import { labelValues, readNiftiVolume } from './nifti/nifti-volume.js';

const NIFTI = join(SHARED_DATA, 'nifti-samples');
const BRATS = join(SHARED_DATA, 'brats2018-3d-nifti');
const hasNifti = hasSharedData('nifti-samples', 'MANIFEST.csv');
const hasBrats = hasSharedData('brats2018-3d-nifti', 'MANIFEST.csv');
const LIMIT = { maxBytes: 1024 * 1024 * 1024 };

const read = (path: string) => readNiftiVolume(readFileSync(path), LIMIT);

describe.skipIf(!hasNifti)('NIfTI samples in ../shared/data/nifti-samples', () => {
  it('puts the same image stored in 10 voxel orders in the same place, voxel for voxel', () => {
    const folder = join(NIFTI, 'niivue/nifti_space');
    const files = readdirSync(folder).filter((f) => f.endsWith('.nii.gz'));
    expect(files).toHaveLength(10);
    const reference = read(join(folder, 'RAS.nii.gz'));
    for (const file of files) {
      const volume = read(join(folder, file));
      expect(volume.dims, file).toEqual(reference.dims);
      volume.spacing.forEach((s, i) => expect(s, file).toBeCloseTo(reference.spacing[i]!, 4));
      volume.origin.forEach((o, i) => expect(o, file).toBeCloseTo(reference.origin[i]!, 3));
      expect(Buffer.from(volume.data.buffer).equals(Buffer.from(reference.data.buffer)), file).toBe(
        true,
      );
    }
    // Canonical order: axis 0 towards the patient's left, 1 posterior, 2 superior (LPS).
    expect(reference.direction.map((axis, i) => Math.sign(axis[i]!))).toEqual([1, 1, 1]);
  });

  it('reads NIfTI-2, big-endian, 4D, RGB and label maps; refuses complex voxels with a reason', () => {
    const nifti2 = read(join(NIFTI, 'nibabel/example_nifti2.nii.gz'));
    expect(nifti2.dims.every((d) => d > 1)).toBe(true);
    const bigEndian = read(join(NIFTI, 'nibabel/anatomical.nii'));
    expect(bigEndian.dims).toEqual([33, 41, 25]);
    expect(bigEndian.data).toBeInstanceOf(Int16Array);
    expect(Math.max(...bigEndian.data)).toBeGreaterThan(100);
    const fourD = read(join(NIFTI, 'nibabel/example4d.nii.gz'));
    expect(fourD.warnings.join(' ')).toMatch(/4D image: only the first of \d+ volumes/);
    const rgb = read(join(NIFTI, 'niivue/ct_perfusion.nii.gz'));
    expect(rgb.samplesPerPixel).toBe(3);
    expect(rgb.data.length).toBe(rgb.dims[0] * rgb.dims[1] * rgb.dims[2] * 3);
    const labels = labelValues(read(join(NIFTI, 'niivue/mni152_pveseg.nii.gz')).data);
    expect(labels).toEqual([1, 2, 3]);
    expect(() => read(join(NIFTI, 'niivue/complex.nii.gz'))).toThrow(/data type 32/);
  });

  it('matches dcm2niix: its NIfTI of the Siemens mosaic holds exactly the decoded DICOM values', async () => {
    const folder = join(SHARED_DATA, 'dicom-samples/dcm_qa_ts-siemens-brain-slice');
    const nifti = read(join(folder, 'reference_dcm2niix/1.nii'));
    const parsed = parseDicom(readFileSync(join(folder, '1.dcm')));
    const frame = await decodeDicomFrame(parsed, describePixels(parsed.dataSet), 0);
    // A Siemens mosaic: 35 slices of 64x64 tiled 6 by 6 in one 384x384 image.
    const [nx, ny, nz] = nifti.dims;
    expect([nx, ny, nz]).toEqual([64, 64, 35]);
    const tiles: number[] = [];
    for (let s = 0; s < nz; s++) {
      const tileRow = Math.floor(s / 6);
      const tileColumn = s % 6;
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++)
          tiles.push(frame.data[(tileRow * ny + y) * frame.columns + tileColumn * nx + x]!);
    }
    const sorted = (values: ArrayLike<number>) => Float64Array.from(values).sort();
    expect(sorted(tiles)).toEqual(sorted(nifti.data));
  });
});

describe.skipIf(!hasBrats)('BraTS 2018 volumes', () => {
  it('open as 240x240x155 at 1 mm, with label maps of classes 1, 2 and 4', () => {
    const patient = readdirSync(BRATS).find((d) => d.startsWith('Brats18_'))!;
    const flair = read(join(BRATS, patient, `${patient}_flair.nii.gz`));
    expect(flair.dims).toEqual([240, 240, 155]);
    expect(flair.spacing.map((s) => Math.round(s * 1000) / 1000)).toEqual([1, 1, 1]);
    const seg = read(join(BRATS, patient, `${patient}_seg.nii.gz`));
    expect(seg.dims).toEqual(flair.dims);
    expect(labelValues(seg.data)).toEqual(expect.arrayContaining([1, 2]));
    expect(labelValues(seg.data)!.every((l) => [1, 2, 4].includes(l))).toBe(true);
  });
});
