import type {
  Attachment,
  FileRecord,
  Segmentation,
  Instance,
  Scan,
  Series,
  Study,
} from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Db } from '../db/connection.js';
import type { DerivedRepo } from './derived-repo.js';
import type { FilesRepo } from './files-repo.js';
import type { ScansRepo } from './scans-repo.js';
import type { StudiesRepo } from './studies-repo.js';
import type { BlobStore } from '../store/blob-store.js';

export interface ScanDetail {
  scan: Scan;
  series: Series | null;
  study: Study | null;
  instances: Instance[];
  files: FileRecord[];
  segmentations: Segmentation[];
  attachments: Attachment[];
}

export function createScanService(deps: {
  db: Db;
  scans: ScansRepo;
  studies: StudiesRepo;
  files: FilesRepo;
  derived: DerivedRepo;
  blobs: BlobStore;
}) {
  const { scans, studies, files } = deps;
  return {
    get(id: string): Scan {
      const scan = scans.get(id);
      if (scan === undefined)
        throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
      return scan;
    },

    detail(id: string): ScanDetail {
      const scan = this.get(id);
      const series = scan.seriesId === null ? null : (studies.getSeries(scan.seriesId) ?? null);
      const study = scan.studyId === null ? null : (studies.getStudy(scan.studyId) ?? null);
      return {
        scan,
        series,
        study,
        instances: series === null ? [] : studies.listInstances(series.id),
        files: files.listOfScan(id),
        segmentations: deps.derived.listSegmentations(id),
        attachments: deps.derived.listAttachments(id),
      };
    },

    async remove(id: string): Promise<boolean> {
      const scan = this.get(id);
      const hashes = scans.fileHashesOf(id);
      deps.db.transaction(() => {
        scans.remove(id);
        // A series exists only for its scan; remove it so its UID can be imported again.
        if (scan.seriesId !== null) studies.removeSeries(scan.seriesId);
      })();
      for (const sha256 of hashes) await deps.blobs.remove(sha256);
      return true;
    },
  };
}
export type ScanService = ReturnType<typeof createScanService>;
