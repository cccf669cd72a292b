import { DENTAL_UPLOAD_FOLDERS } from '../../../../src-shared/contract/dental.js';
import type { ApiClient } from '../../api/client.js';

export type DentalPart = (typeof DENTAL_UPLOAD_FOLDERS)[number];

/** The seed's limit on a CBCT DICOM folder. */
export const MAX_CBCT_FILES = 1500;

export interface DentalUploadFile {
  readonly part: DentalPart;
  /** The name in the batch: the part's folder, then the file's (relative) path. */
  readonly name: string;
  readonly file: File;
}

export interface DentalPartsChosen {
  readonly upper: File | null;
  readonly lower: File | null;
  /** One NIfTI file, or the files of a DICOM folder (with their webkitRelativePath). */
  readonly cbct: readonly File[];
}

const NIFTI = /\.nii(\.gz)?$/i;

/** The path of a file picked from a folder (`webkitdirectory`), else its name. */
function relativePath(file: File): string {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
  return path !== '' ? path : file.name;
}

/**
 * The files of the form as upload names (`upper/…`, `lower/…`, `cbct/…`), or why they cannot be
 * sent: an STL that is not .stl, a CBCT file that is not NIfTI, a folder over 1,500 files.
 */
export function planDentalUpload(
  chosen: DentalPartsChosen,
): { files: DentalUploadFile[]; error: null } | { files: null; error: string } {
  const files: DentalUploadFile[] = [];
  for (const part of ['upper', 'lower'] as const) {
    const file = chosen[part];
    if (file === null) continue;
    if (!/\.stl$/i.test(file.name))
      return {
        files: null,
        error: `The ${part} jaw scan (${file.name}) must be an STL file (.stl).`,
      };
    files.push({ part, name: `${part}/${file.name}`, file });
  }
  const cbct = chosen.cbct.filter((f) => !f.name.startsWith('.'));
  if (cbct.length > MAX_CBCT_FILES)
    return {
      files: null,
      error: `A CBCT folder holds at most ${MAX_CBCT_FILES.toLocaleString('en')} files; this one has ${cbct.length.toLocaleString('en')}. Choose the folder of one series.`,
    };
  const single = cbct.length === 1 ? cbct[0] : undefined;
  const isFolder = cbct.some((f) => relativePath(f) !== f.name);
  if (single !== undefined && !isFolder && !NIFTI.test(single.name) && !/\.dcm$/i.test(single.name))
    return {
      files: null,
      error: `The CBCT (${single.name}) must be a NIfTI file (.nii, .nii.gz) or a folder of DICOM files.`,
    };
  for (const file of cbct) files.push({ part: 'cbct', name: `cbct/${relativePath(file)}`, file });
  if (files.length === 0)
    return { files: null, error: 'Choose at least one part: an upper or lower STL, or a CBCT.' };
  return { files, error: null };
}

export type PartProgress = Record<DentalPart, { sent: number; total: number; files: number }>;

/**
 * Sends the planned files into the batch, four at a time, counting bytes per part in
 * `progress` (read by the form a few times a second). Rejects with the first failure; an
 * abort rejects with an AbortError.
 */
export async function sendDentalFiles(
  api: Pick<ApiClient, 'upload'>,
  batchId: string,
  files: readonly DentalUploadFile[],
  progress: PartProgress,
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length && !signal.aborted) {
      const item = files[next++] as DentalUploadFile;
      let sentOfThis = 0;
      await api.upload(batchId, item.name, item.file, {
        signal,
        onProgress: (sent) => {
          progress[item.part].sent += sent - sentOfThis;
          sentOfThis = sent;
        },
      });
      progress[item.part].sent += item.file.size - sentOfThis;
      progress[item.part].files += 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, worker));
  if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError');
}

export function emptyProgress(files: readonly DentalUploadFile[]): PartProgress {
  const progress: PartProgress = {
    upper: { sent: 0, total: 0, files: 0 },
    lower: { sent: 0, total: 0, files: 0 },
    cbct: { sent: 0, total: 0, files: 0 },
  };
  for (const f of files) progress[f.part].total += f.file.size;
  return progress;
}
