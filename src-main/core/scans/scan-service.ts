import type {
  Attachment,
  FileRecord,
  Page,
  Segmentation,
  Instance,
  Scan,
  Series,
  Study,
} from '../../../src-shared/contract/entities.js';
import type { ScanWithAnalysis } from '../../../src-shared/contract/listings.js';
import { AppError } from '../../../src-shared/errors.js';
import { readStoredAnalysis } from '../analysis/stored-analysis.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { DerivedRepo } from './derived-repo.js';
import type { FilesRepo } from './files-repo.js';
import type { ScanQuery, ScansRepo } from './scans-repo.js';
import type { StudiesRepo } from './studies-repo.js';
import { removeUnreferencedBlobs, type BlobReferences } from '../store/blob-references.js';
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

/** Scans with their studies, series, files, segmentations and attachments. */
export function createScanService(deps: {
  writer: ClinicalWriter;
  scans: ScansRepo;
  studies: StudiesRepo;
  files: FilesRepo;
  derived: DerivedRepo;
  blobs: BlobStore;
  blobReferences: BlobReferences;
}) {
  const { scans, studies, files } = deps;
  return {
    get(id: string): Scan {
      const scan = scans.get(id);
      if (scan === undefined)
        throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
      return scan;
    },

    list(query: ScanQuery): Page<Scan> {
      return scans.list(query);
    },

    /** A page of scans with their newest analyses, read together (see scans-repo.ts). */
    listWithAnalyses(query: ScanQuery): Page<ScanWithAnalysis> {
      const page = scans.listWithLatestAnalysis(query);
      return {
        ...page,
        items: page.items.map(({ scan, analysisJson }) => ({
          scan,
          analysis: analysisJson === null ? null : readStoredAnalysis(JSON.parse(analysisJson)),
        })),
      };
    },

    studiesOfPatient(patientId: string): Study[] {
      return studies.listStudiesOfPatient(patientId);
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

    /**
     * Deletes the scan with its series, files, segmentations, attachments and analyses, then
     * every blob derived from them (analysis mask, heatmap and overlay included) that no other
     * record refers to.
     */
    async remove(id: string, actor: string | null): Promise<boolean> {
      const scan = this.get(id);
      const hashes = deps.blobReferences.ofScans([id]);
      deps.writer.write(actor, 'scans.delete', () => {
        scans.remove(id);
        // A series exists only for its scan; remove it so its UID can be imported again.
        if (scan.seriesId !== null) studies.removeSeries(scan.seriesId);
        return {
          result: undefined,
          target: id,
          changes: [
            { entity: 'scan', id, op: 'delete' },
            ...(scan.seriesId === null
              ? []
              : [{ entity: 'series' as const, id: scan.seriesId, op: 'delete' as const }]),
          ],
        };
      });
      await removeUnreferencedBlobs(deps.blobs, deps.blobReferences, hashes);
      return true;
    },
  };
}
export type ScanService = ReturnType<typeof createScanService>;
