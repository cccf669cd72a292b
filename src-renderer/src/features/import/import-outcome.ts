import type { ImportReport, Job } from '../../../../src-shared/contract/entities.js';
import { plural } from '../../ui/format.js';

/** How an import ended, for the summary's title, colour and explanation. */
export interface ImportOutcome {
  /** 'warning': the job ran but nothing new came in (shown in amber, not as a green success). */
  readonly tone: 'success' | 'warning' | 'failure' | 'cancelled';
  readonly title: string;
  /** Why nothing was imported, where that is the case. */
  readonly explanation: string | null;
}

export function importOutcome(
  job: Pick<Job, 'status'> | null,
  report: Pick<ImportReport, 'total' | 'imported' | 'duplicates' | 'rejected'> | null,
  localRejections: number,
): ImportOutcome {
  if (job === null) {
    return {
      tone: 'warning',
      title: 'Nothing was imported',
      explanation:
        localRejections > 0
          ? `${plural(localRejections, 'file was', 'files were')} refused before upload: see the reasons below.`
          : null,
    };
  }
  if (job.status === 'cancelled')
    return { tone: 'cancelled', title: 'Import cancelled', explanation: null };
  if (job.status !== 'completed')
    return { tone: 'failure', title: 'Import failed', explanation: null };
  if (report === null || report.imported > 0)
    return { tone: 'success', title: 'Import finished', explanation: null };
  const rejected = report.rejected + localRejections;
  const files = report.duplicates + rejected;
  const explanation =
    files === 0
      ? 'No files were found to import: choose files or a folder with DICOM, NIfTI, PNG or JPEG files.'
      : rejected === 0
        ? `${files === 1 ? 'The file was' : `All ${files} files were`} already imported (duplicates): nothing new was added.`
        : report.duplicates === 0
          ? `${files === 1 ? 'The file' : `All ${files} files`} could not be read: see the reasons below.`
          : `${plural(report.duplicates, 'file was', 'files were')} already imported and ${plural(rejected, 'file', 'files')} could not be read: nothing new was added.`;
  return { tone: 'warning', title: 'Nothing new was imported', explanation };
}
