import type { FilesRepo } from '../scans/files-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { FileImportResult, ImportOptions } from './import-file-types.js';

/** The file is a duplicate if its content, or its DICOM SOP Instance UID, is already stored. */
export function findDuplicate(
  repos: { files: FilesRepo; studies: StudiesRepo },
  path: string,
  sha256: string,
  sopInstanceUid: string | null,
  options: ImportOptions,
): FileImportResult | undefined {
  const existing = repos.files.findBySha256(sha256);
  if (existing !== undefined) {
    // A resumed job finds the files it stored before the crash: they count as imported.
    const isOwn =
      options.jobId !== undefined &&
      existing.importJobId === options.jobId &&
      options.storedThisRun?.has(sha256) !== true;
    options.storedThisRun?.add(sha256);
    return isOwn
      ? {
          item: {
            path,
            status: 'imported',
            fileId: existing.id,
            ...(existing.scanId !== null && { scanId: existing.scanId }),
          },
        }
      : {
          item: {
            path,
            status: 'duplicate',
            code: 'DUPLICATE',
            reason: 'Already imported: a file with identical content is stored',
            // Which stored file it is: `analyze` gives each path of the same file its output.
            fileId: existing.id,
            ...(existing.scanId !== null && { scanId: existing.scanId }),
          },
        };
  }
  if (sopInstanceUid !== null && repos.studies.hasInstance(sopInstanceUid)) {
    const scanId = repos.studies.scanIdOfInstance(sopInstanceUid);
    return {
      item: {
        path,
        status: 'duplicate',
        code: 'DUPLICATE',
        reason: `Already imported: SOP Instance UID ${sopInstanceUid} is stored`,
        ...(scanId !== undefined && { scanId }),
      },
    };
  }
  return undefined;
}
