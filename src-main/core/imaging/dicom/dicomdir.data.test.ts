import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, hasTool, SHARED_DATA } from '../../../test-support/shared-data.js';
import { dicomDirFiles, isDicomDir } from './dicomdir.js';
import { parseDicom } from './parse-dicom.js';

const FOLDER = join(SHARED_DATA, 'dicom-samples', 'pydicom-test-files', 'dicomdirtests');
const hasSamples = hasSharedData('dicom-samples/pydicom-test-files/dicomdirtests', 'DICOMDIR');
const hasDcmdump = hasSamples && hasTool('dcmdump');

/** The Referenced File IDs as dcmtk reads them: an independent parser of the same bytes. */
function dcmtkFileIds(path: string): string[][] {
  const dump = execFileSync('dcmdump', ['+L', '+P', '0004,1500', path], { encoding: 'utf8' });
  return [...dump.matchAll(/^\s*\(0004,1500\) CS \[([^\]]*)\]/gm)].map((m) => m[1]!.split('\\'));
}

// pydicom's DICOMDIR test set: the same index in other encodings and record orders.
const INDEXES = [
  'DICOMDIR',
  'DICOMDIR-implicit',
  'DICOMDIR-bigEnd',
  'DICOMDIR-reordered',
  'DICOMDIR-nopatient',
  'DICOMDIR-empty.dcm',
  'TINY_ALPHA/DICOMDIR',
];

describe.skipIf(!hasDcmdump)('DICOMDIRs from pydicom, against dcmtk', () => {
  for (const name of INDEXES) {
    it(`${name}: lists the files dcmtk reads from it, each present`, () => {
      const path = join(FOLDER, name);
      const parsed = parseDicom(new Uint8Array(readFileSync(path)));
      expect(isDicomDir(parsed.dataSet)).toBe(true);
      const expected = dcmtkFileIds(path).map((id) => join(dirname(path), ...id));
      const files = dicomDirFiles(parsed.dataSet, path);
      expect(files).toEqual(expected);
      expect(files.filter((file) => !existsSync(file))).toEqual([]);
      if (name !== 'DICOMDIR-empty.dcm') expect(files.length).toBeGreaterThan(20);
    });
  }

  it('DICOMDIR-nooffset: refuses it as damaged (its records are longer than their sequence)', () => {
    // Two elements were cut from the last records without shortening the items: the 52 items
    // end 24 bytes past the sequence and the file. dcmtk reads on regardless; we refuse the
    // index with a reason, and a folder import still finds the images by walking the folder.
    const bytes = new Uint8Array(readFileSync(join(FOLDER, 'DICOMDIR-nooffset')));
    expect(() => parseDicom(bytes)).toThrow(
      expect.objectContaining({
        code: 'CORRUPT_FILE',
        message: expect.stringMatching(/^DICOM file cannot be parsed: .+/) as unknown,
      }),
    );
  });
});
