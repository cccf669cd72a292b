import { importReportSchema, type Job } from '../../../src-shared/contract/entities.js';
import type { EventBus } from '../events.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import { REGISTERED_PIPELINES } from './pipelines/index.js';
import { createPipelineRegistry } from './pipelines/pipeline-registry.js';
import { groupPictureSeries, type PictureCandidate } from './picture-series.js';

/**
 * The seed documents' pipeline: an upload starts the analysis. When an import completes, each
 * scan it created is queued for analysis (2D slices of one folder as one series), provided a
 * pipeline has its default models installed. Returns the unsubscribe function.
 */
export function analyseNewImports(deps: {
  events: EventBus;
  jobs: JobQueue;
  scans: ScansRepo;
  registry: ModelRegistry;
  logger: Logger;
}): () => void {
  const handled = new Set<string>();
  const pipelines = createPipelineRegistry(REGISTERED_PIPELINES, deps.registry);
  return deps.events.subscribe((name, payload) => {
    if (name !== 'jobs.updated') return;
    const { job } = payload as { job: Job };
    if (job.type !== 'import.files' || job.status !== 'completed' || handled.has(job.id)) return;
    handled.add(job.id);
    // The importer analyses these scans itself (an X-ray reading's upload): not twice.
    if (job.payload.autoAnalyse === false) return;
    // Without installed default models there is nothing to analyse with (the CLI may name one).
    if (!pipelines.hasRunnablePipeline()) return;
    // Events carry no result; the report is read once, here.
    const report = importReportSchema.safeParse(deps.jobs.get(job.id).result);
    if (!report.success) return;
    const candidates: PictureCandidate[] = [];
    for (const item of report.data.items) {
      if (item.status !== 'imported' || item.scanId === undefined) continue;
      const scan = deps.scans.get(item.scanId);
      if (scan === undefined || scan.status !== 'imported') continue;
      if (candidates.some((c) => c.scanId === scan.id)) continue;
      candidates.push({
        scanId: scan.id,
        path: item.path,
        kind: scan.kind,
        format: scan.format,
        rows: scan.rows,
        columns: scan.columns,
      });
    }
    const series = groupPictureSeries(candidates);
    for (const { scanId } of candidates) {
      const normaliseWith = series.get(scanId);
      deps.jobs.enqueue(
        'analysis.run',
        { scanId, ...(normaliseWith !== undefined && { normaliseWith }) },
        // The analyses follow from the user's import: what they store is audited under that user.
        job.createdBy ?? 'system:auto-analysis',
      );
    }
    deps.logger.info('analyses queued after import', {
      importJobId: job.id,
      scans: candidates.length,
    });
  });
}
