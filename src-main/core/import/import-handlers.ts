import { importReportSchema } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import { roleHasPermission } from '../../../src-shared/roles.js';
import { actorOf, roleOf } from '../auth/principal.js';
import { jobForRole } from '../jobs/job-view.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { PatientService } from '../patients/patient-service.js';
import type { ScanService } from '../scans/scan-service.js';
import { uploadOwnerOfCall } from '../uploads/upload-owner.js';
import type { UploadService } from '../uploads/upload-service.js';
import type { ImportRoots } from './import-roots.js';

type ImportMethods =
  | 'import.files'
  | 'import.report'
  | 'uploads.begin'
  | 'uploads.commit'
  | 'uploads.abort'
  | 'importRoots.get'
  | 'importRoots.set';

/**
 * Imports from paths and from uploaded batches. Both run as an import job that records what it
 * creates under the user who started it.
 */
export function createImportHandlers(deps: {
  jobs: JobQueue;
  uploads: UploadService;
  patients: PatientService;
  scans: ScanService;
  record: CallAuditor;
  roots: ImportRoots;
}): HandlerMap<ImportMethods> {
  const { jobs, uploads, record } = deps;
  return {
    'import.files': (input, call) => {
      // Over the network, paths name the server's files: only allowed folders, resolved.
      if (call.context.transport === 'http') {
        try {
          input = { ...input, paths: deps.roots.check(input.paths) };
        } catch (error) {
          record(call, 'import.refused', null, { paths: input.paths.length });
          throw error;
        }
      }
      // Checked now, not when the job reaches its first file: the user hears of it at once.
      if (input.patientId !== undefined) deps.patients.get(input.patientId);
      if (input.segmentationOf !== undefined) deps.scans.get(input.segmentationOf);
      if (input.attachTo !== undefined) deps.scans.get(input.attachTo);
      const job = jobs.enqueue('import.files', input, actorOf(call.principal));
      record(call, 'import.start', job.id, { paths: input.paths.length });
      return job;
    },
    'importRoots.get': () => ({ roots: deps.roots.list() }),
    'importRoots.set': (input, call) => {
      const roots = deps.roots.set(input.roots);
      record(call, 'importRoots.set', null, { count: roots.length });
      return { roots };
    },
    'import.report': (input, call) => {
      const job = jobs.get(input.id);
      if (job.type !== 'import.files')
        throw new AppError('INVALID_INPUT', 'This job is not an import.');
      const parsed = importReportSchema.safeParse(job.result);
      if (!parsed.success) {
        return { total: 0, imported: 0, duplicates: 0, rejected: 0, scanIds: [], items: [] };
      }
      // Each file's path and reason name the server's folders: file names only for roles that
      // may not import (see jobForRole).
      if (call.principal !== null && !roleHasPermission(roleOf(call.principal), 'import.run'))
        return jobForRole({ ...job, result: parsed.data }, roleOf(call.principal))
          .result as typeof parsed.data;
      return parsed.data;
    },
    'uploads.begin': async (_input, call) => {
      const batch = await uploads.begin(uploadOwnerOfCall(call.principal));
      record(call, 'uploads.begin', batch.batchId);
      return batch;
    },
    'uploads.commit': async (input, call) => {
      if (input.patientId !== undefined) deps.patients.get(input.patientId);
      if (input.segmentationOf !== undefined) deps.scans.get(input.segmentationOf);
      const job = await uploads.commit(input.batchId, uploadOwnerOfCall(call.principal), {
        ...(input.patientId !== undefined && { patientId: input.patientId }),
        ...(input.segmentationOf !== undefined && { segmentationOf: input.segmentationOf }),
        ...(input.autoAnalyse !== undefined && { autoAnalyse: input.autoAnalyse }),
        startedBy: actorOf(call.principal),
      });
      record(call, 'import.start', job.id, { uploadBatch: input.batchId });
      return job;
    },
    'uploads.abort': async (input, call) => {
      const aborted = await uploads.abort(input.batchId, uploadOwnerOfCall(call.principal));
      record(call, 'uploads.abort', input.batchId);
      return { aborted };
    },
  };
}
