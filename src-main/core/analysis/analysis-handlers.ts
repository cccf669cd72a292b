import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import type { ScanService } from '../scans/scan-service.js';
import { actorOf } from '../auth/principal.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysisService } from './analysis-service.js';

type AnalysisMethods = 'analysis.start' | 'analysis.get' | 'models.list';

export function createAnalysisHandlers(deps: {
  analysis: AnalysisService;
  jobs: JobQueue;
  scans: ScanService;
  registry: ModelRegistry;
  record: CallAuditor;
}): HandlerMap<AnalysisMethods> {
  return {
    'analysis.start': (input, call) => {
      deps.scans.get(input.scanId); // NOT_FOUND now rather than a failed job later
      const job = deps.jobs.enqueue('analysis.run', input, actorOf(call.principal));
      deps.record(call, 'analysis.start', input.scanId, { jobId: job.id });
      return job;
    },
    'analysis.get': (input, call) => {
      const analysis = deps.analysis.latest(input.scanId);
      deps.record(call, 'analysis.read', input.scanId);
      return analysis;
    },
    'models.list': async () => {
      const models = [];
      for (const id of deps.registry.ids()) {
        try {
          const { manifest } = await deps.registry.verify(id);
          models.push({
            id,
            version: manifest.version,
            task: manifest.task,
            role: manifest.role ?? null,
            isDefault: manifest.default === true,
            reads: manifest.applicability?.description ?? null,
            labels: manifest.labels,
            intendedUse: manifest.intendedUse,
            usable: true,
            problem: null,
          });
        } catch (error) {
          models.push({
            id,
            version: '',
            task: '',
            role: null,
            isDefault: false,
            reads: null,
            labels: [],
            intendedUse: '',
            usable: false,
            problem: error instanceof AppError ? error.message : 'cannot be read',
          });
        }
      }
      return models;
    },
  };
}
