import type {
  ImportItem,
  ImportReport,
  JobPayload,
} from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import { parseJobPayload } from '../jobs/job-payload.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { collectFiles } from './collect-files.js';
import type { FileImportResult } from './import-file-types.js';
import type { ImportService } from './import-service.js';
import { MISSING_FROM_DICOMDIR } from './import-batch.js';
import { importInBatches } from './import-in-batches.js';

/** The import job's payload: the input of `import.files` (one schema, in the contract). */
export type ImportPayload = JobPayload<'import.files'>;

export function summarise(items: ImportItem[]): ImportReport {
  const scanIds = new Set<string>();
  let imported = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const item of items) {
    if (item.status === 'imported') {
      imported++;
      if (item.scanId !== undefined) scanIds.add(item.scanId);
    } else if (item.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { total: items.length, imported, duplicates, rejected, scanIds: [...scanIds], items };
}

/**
 * The folder/file import job: progress per file, cancellable between files, resumable after a
 * crash. Files are stored and recorded in batches (see importInBatches).
 */
export function createImportJobRunner(deps: {
  importer: ImportService;
  events: EventBus;
  maxFilesPerImport: number;
}): JobRunner<ImportPayload> {
  return {
    type: 'import.files',
    isResumable: true,
    parsePayload: (payload) => parseJobPayload('import.files', payload),
    async run(ctx) {
      ctx.reportProgress({ progress: 0, stage: 'Finding files' });
      const { files, problems } = await collectFiles(ctx.payload.paths, {
        maxFiles: deps.maxFilesPerImport,
        signal: ctx.signal,
      });
      const items: ImportItem[] = [...problems];
      const touchedSeries = new Set<string>();
      const storedThisRun = new Set<string>();
      const createdScans: string[] = [];
      const meshes: string[] = [];
      const dicomSegs: string[] = [];
      const queued = new Set(files);
      const { patientId, segmentationOf, attachTo } = ctx.payload;
      const options = {
        // What the job records is audited under the user who started it.
        actor: ctx.job.createdBy,
        patientId,
        segmentationOf,
        attachTo,
        jobId: ctx.job.id,
        storedThisRun,
        segmentationsLast: true,
      };
      let total = files.length;
      let savedCount = items.length;

      const listedByDicomdir = new Set<string>();

      function handle(result: FileImportResult): void {
        // A DICOMDIR lists files, possibly outside the selected folders: import those too.
        for (const listed of result.listedFiles ?? []) {
          if (queued.has(listed)) continue;
          queued.add(listed);
          listedByDicomdir.add(listed);
          files.push(listed);
          total++;
        }
        const item =
          result.item.code === 'NOT_FOUND' && listedByDicomdir.has(result.item.path)
            ? { ...result.item, reason: MISSING_FROM_DICOMDIR }
            : result.item;
        if (result.needsScan === true) meshes.push(result.item.path);
        else if (result.needsSeries === true) dicomSegs.push(result.item.path);
        else items.push(item);
        if (result.seriesId !== undefined) touchedSeries.add(result.seriesId);
        if (result.newScanId !== undefined) {
          createdScans.push(result.newScanId);
          deps.events.emit('scans.changed', { scanIds: [result.newScanId], change: 'added' });
        }
        if (items.length - savedCount >= 100) {
          ctx.saveResult(summarise(items));
          savedCount = items.length;
        }
      }

      let isFinished = false;
      try {
        await importInBatches({
          importer: deps.importer,
          options,
          files,
          beforeFile: () => ctx.throwIfCancelled(),
          afterFile: (staged) =>
            ctx.reportProgress({
              progress: staged / Math.max(1, total),
              stage: `Importing file ${staged} of ${total}`,
            }),
          onResult: handle,
        });
        isFinished = true;
      } finally {
        // Cancelled or failed part-way: what was imported stays usable (its series geometry
        // is computed) and the report lists every file handled so far.
        for (const seriesId of touchedSeries)
          deps.importer.refreshSeriesGeometry(seriesId, ctx.job.createdBy);
        if (!isFinished) ctx.saveResult(summarise(items));
      }
      // DICOM SEGs after every image of the run: the series they annotate is recorded by now.
      for (const path of dicomSegs) {
        items.push(
          (await deps.importer.importFile(path, { ...options, segmentationsLast: false })).item,
        );
      }
      // STL meshes without a chosen scan go with the one scan this import created (e.g. the CBCT).
      for (const path of meshes) {
        const target = createdScans.length === 1 ? createdScans[0] : undefined;
        if (target === undefined) {
          items.push({
            path,
            status: 'rejected',
            code: 'INVALID_INPUT',
            reason:
              'An STL mesh belongs to a scan: import it together with exactly one scan (e.g. the CBCT), or choose the scan to attach it to.',
          });
          continue;
        }
        items.push((await deps.importer.importFile(path, { ...options, attachTo: target })).item);
      }
      if (total === 0 && problems.length === 0) {
        throw new AppError('INVALID_INPUT', 'No files were found at the given paths.');
      }
      return summarise(items);
    },
  };
}
