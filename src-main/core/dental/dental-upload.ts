import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DentalCaseCreateInput } from '../../../src-shared/contract/dental.js';
import { AppError } from '../../../src-shared/errors.js';

const NIFTI = /\.nii(\.gz)?$/i;

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => !name.startsWith('.'));
  } catch {
    return [];
  }
}

/** The one STL sent under `upper/` or `lower/`, or undefined when that part was not sent. */
async function stlOf(root: string, role: 'upper' | 'lower'): Promise<string | undefined> {
  const names = await entriesOf(join(root, role));
  if (names.length === 0) return undefined;
  if (names.length > 1)
    throw new AppError(
      'INVALID_INPUT',
      `The ${role} jaw takes one STL file; ${names.length} were sent. Choose one file.`,
    );
  return join(root, role, names[0] as string);
}

/** The CBCT sent under `cbct/`: a single NIfTI file, else the folder (DICOM files). */
async function cbctOf(root: string): Promise<string | undefined> {
  const dir = join(root, 'cbct');
  const names = await entriesOf(dir);
  if (names.length === 0) return undefined;
  if (names.length === 1 && NIFTI.test(names[0] as string)) {
    const path = join(dir, names[0] as string);
    if ((await stat(path)).isFile()) return path;
  }
  return dir;
}

/**
 * The parts of a case in an upload batch's staged folder, as paths for `createCase`. Files
 * outside the three part folders are refused: the form sends nothing else.
 */
export async function dentalPartsOfUpload(
  stagedFolder: string,
): Promise<Pick<DentalCaseCreateInput, 'upperStl' | 'lowerStl' | 'cbct'>> {
  const stray = (await entriesOf(stagedFolder)).filter(
    (name) => name !== 'upper' && name !== 'lower' && name !== 'cbct',
  );
  if (stray.length > 0)
    throw new AppError(
      'INVALID_INPUT',
      `The upload holds files outside upper/, lower/ and cbct/ (${stray.slice(0, 3).join(', ')}): send each part in its folder.`,
    );
  const upperStl = await stlOf(stagedFolder, 'upper');
  const lowerStl = await stlOf(stagedFolder, 'lower');
  const cbct = await cbctOf(stagedFolder);
  return {
    ...(upperStl !== undefined && { upperStl }),
    ...(lowerStl !== undefined && { lowerStl }),
    ...(cbct !== undefined && { cbct }),
  };
}
