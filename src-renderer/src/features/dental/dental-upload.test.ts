import { describe, expect, it } from 'vitest';
import { emptyProgress, MAX_CBCT_FILES, planDentalUpload } from './dental-upload.js';

function file(name: string, size = 10, relativePath = ''): File {
  const f = new File([new Uint8Array(size)], name);
  Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
}

describe('the new dental case form: which files go where in the upload batch', () => {
  it('sends each STL under its jaw and a DICOM folder under cbct/ with its relative paths', () => {
    const plan = planDentalUpload({
      upper: file('U.stl', 100),
      lower: file('L.STL', 50),
      cbct: [file('IM1.dcm', 5, 'CBCT01/IM1.dcm'), file('IM2', 5, 'CBCT01/sub/IM2')],
    });
    expect(plan.error).toBeNull();
    expect(plan.files?.map((f) => [f.part, f.name])).toEqual([
      ['upper', 'upper/U.stl'],
      ['lower', 'lower/L.STL'],
      ['cbct', 'cbct/CBCT01/IM1.dcm'],
      ['cbct', 'cbct/CBCT01/sub/IM2'],
    ]);
    const progress = emptyProgress(plan.files ?? []);
    expect([progress.upper.total, progress.lower.total, progress.cbct.total]).toEqual([
      100, 50, 10,
    ]);
  });

  it('takes one NIfTI file as the CBCT and leaves out hidden files of a folder', () => {
    const nifti = planDentalUpload({ upper: null, lower: null, cbct: [file('cbct.nii.gz')] });
    expect(nifti.files?.map((f) => f.name)).toEqual(['cbct/cbct.nii.gz']);
    const folder = planDentalUpload({
      upper: null,
      lower: null,
      cbct: [file('.DS_Store', 1, 'CT/.DS_Store'), file('a.dcm', 1, 'CT/a.dcm')],
    });
    expect(folder.files?.map((f) => f.name)).toEqual(['cbct/CT/a.dcm']);
  });

  it('says what is wrong: not an STL, not a NIfTI, too many files, nothing chosen', () => {
    expect(planDentalUpload({ upper: file('U.obj'), lower: null, cbct: [] }).error).toBe(
      'The upper jaw scan (U.obj) must be an STL file (.stl).',
    );
    expect(planDentalUpload({ upper: null, lower: null, cbct: [file('scan.zip')] }).error).toMatch(
      /must be a NIfTI file/,
    );
    const many = Array.from({ length: MAX_CBCT_FILES + 1 }, (_, n) =>
      file(`${n}.dcm`, 1, `CT/${n}.dcm`),
    );
    expect(planDentalUpload({ upper: null, lower: null, cbct: many }).error).toMatch(
      /at most 1,500 files; this one has 1,501/,
    );
    expect(planDentalUpload({ upper: null, lower: null, cbct: [] }).error).toMatch(
      /at least one part/,
    );
  });
});
