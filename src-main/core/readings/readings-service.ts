import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { Job } from '../../../src-shared/contract/entities.js';
import {
  readingRequestInputSchema,
  type JobPriority,
} from '../../../src-shared/contract/entities.js';
import type {
  ExpertReading,
  Reading,
  TreatmentSuggestions,
} from '../../../src-shared/contract/readings.js';
import { friendlyText } from '../../../src-shared/clinical/xray-friendly.js';
import {
  suggestionsFor,
  XRAY_SUGGESTIONS_DISCLAIMER,
  XRAY_SUGGESTIONS_VERSION,
} from '../../../src-shared/clinical/xray-suggestions.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysesRepo } from '../analysis/analyses-repo.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../platform/clock.js';
import type { ReadingRecord, ReadingsRepo } from './readings-repo.js';

/** What the caller's role may see of a reading (decided by the handler from the role). */
export interface ReadingView {
  /** Probabilities, threshold, heatmap, notes: not for a patient's account. */
  readonly expert: boolean;
  /** Treatment suggestions: only roles with `suggestions.read`. */
  readonly suggestions: boolean;
}

/** The seed's rough durations for a queued reading, from the work waiting before it. */
function estimatedTime(waitingAhead: number): string {
  const seconds = 30 * (waitingAhead + 1);
  return seconds < 120 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
}

const NOT_READ_NOTE =
  'No suggestions: the chest X-ray model did not read this image (it is not a chest radiograph it reads), so there is no finding to match.';

const AGE_UNKNOWN_NOTE =
  "The patient's age is not given: the adult and the child guidance are both shown; follow the one for the patient's age.";

/** Suggestions from the table for an analysis; an empty list (with why) when nothing matches. */
export function suggestionsOf(analysis: Analysis, patientAge: number | null): TreatmentSuggestions {
  const base = { disclaimer: XRAY_SUGGESTIONS_DISCLAIMER, tableVersion: XRAY_SUGGESTIONS_VERSION };
  const findings = analysis.findings;
  if (findings.kind !== 'chest-xray') return { ...base, suggestions: [], note: NOT_READ_NOTE };
  const entries = suggestionsFor(findings.label, patientAge);
  const populations = new Set(entries.map((entry) => entry.population));
  return {
    ...base,
    // With no age, the adult and the child guidance both show: say so, so neither is misread.
    note:
      patientAge === null && populations.has('adult') && populations.has('child')
        ? AGE_UNKNOWN_NOTE
        : null,
    suggestions: entries.map((entry) => ({
      id: entry.id,
      condition: entry.condition,
      confidence: findings.probabilities[entry.finding],
      treatment: entry.treatment,
      precautions: entry.precautions,
      source: { ...entry.source },
    })),
  };
}

function expertOf(record: ReadingRecord, analysis: Analysis): ExpertReading {
  const findings = analysis.findings;
  const chest = findings.kind === 'chest-xray' ? findings : null;
  return {
    findingsKind: findings.kind,
    label: chest?.label ?? null,
    probabilities: chest === null ? null : { ...chest.probabilities },
    threshold: chest?.threshold ?? null,
    statement:
      chest?.statement ??
      (findings.kind === 'not-applicable'
        ? findings.reason
        : `Not read by the chest X-ray model: the ${analysis.pipeline} pipeline analysed this image.`),
    qualityNotes: chest?.qualityNotes ?? [],
    hasHeatmap: analysis.outputs.hasHeatmap,
    pipeline: analysis.pipeline,
    model: analysis.models.classification?.id ?? analysis.models.segmentation?.id ?? null,
    warnings: analysis.warnings,
    notes: record.notes,
    priority: record.priority,
  };
}

/**
 * Friendly and expert readings of chest X-rays (the doctor/patient seed): a request queues the
 * analysis as a job with the reading's priority; the text is rendered when read, from the
 * findings by the versioned templates, and suggestions only from the table.
 */
export function createReadingsService(deps: {
  repo: ReadingsRepo;
  analyses: AnalysesRepo;
  jobs: JobQueue;
  clock: Clock;
  /** Throws NOT_FOUND for a scan that does not exist. */
  assertScan: (scanId: string) => void;
}) {
  function analysisOf(record: ReadingRecord): Analysis | null {
    if (record.analysisId === null) return null;
    return deps.analyses.get(record.analysisId)?.analysis ?? null;
  }

  function jobOf(record: ReadingRecord): Job | null {
    try {
      return deps.jobs.get(record.id);
    } catch {
      return null; // the job was removed; the reading stays with what it has
    }
  }

  function compose(record: ReadingRecord, view: ReadingView): Reading {
    const job = jobOf(record);
    const analysis = analysisOf(record);
    const done = analysis !== null && (job === null || job.status === 'completed');
    return {
      id: record.id,
      scanId: record.scanId,
      kind: record.kind,
      priority: record.priority,
      includeSuggestions: record.includeSuggestions,
      requestedBy: record.requestedBy,
      createdAt: record.createdAt,
      status: job?.status ?? (analysis === null ? 'failed' : 'completed'),
      progress: job?.progress ?? (analysis === null ? 0 : 1),
      error: job?.error?.message ?? null,
      analysisId: record.analysisId,
      friendly: done ? friendlyText(analysis) : null,
      expert: done && view.expert ? expertOf(record, analysis) : null,
      suggestions:
        done && view.suggestions && record.includeSuggestions
          ? suggestionsOf(analysis, null)
          : null,
    };
  }

  function record(id: string): ReadingRecord {
    const found = deps.repo.get(id);
    if (found === undefined)
      throw new AppError(
        'NOT_FOUND',
        'No such reading. A reading id is the task id its request answered.',
      );
    return found;
  }

  return {
    request(
      input: unknown,
      actor: string | null,
      view: ReadingView,
    ): { reading: Reading; estimatedTime: string } {
      const parsed = readingRequestInputSchema.parse(input);
      deps.assertScan(parsed.scanId);
      const waiting = deps.jobs.list({ status: 'pending', page: 1, limit: 1 }).total;
      const job = deps.jobs.enqueue('reading.run', parsed, actor, 3, parsed.priority);
      // Inserted before the queue's microtask can start the job, which looks the reading up.
      deps.repo.insert({
        id: job.id,
        scanId: parsed.scanId,
        kind: parsed.kind,
        priority: parsed.priority,
        notes: parsed.notes,
        includeSuggestions: parsed.includeSuggestions,
        requestedBy: actor,
        createdAt: deps.clock.iso(),
      });
      return { reading: compose(record(job.id), view), estimatedTime: estimatedTime(waiting) };
    },
    get(id: string, view: ReadingView): Reading {
      return compose(record(id), view);
    },
    list(scanId: string, view: ReadingView): Reading[] {
      deps.assertScan(scanId);
      return deps.repo.listOfScan(scanId).map((r) => compose(r, view));
    },
    /** The table's suggestions for a finished reading, for the patient's age where given. */
    suggest(id: string, patientAge: number | null): TreatmentSuggestions & { scanId: string } {
      const found = record(id);
      const analysis = analysisOf(found);
      if (analysis === null)
        throw new AppError(
          'CONFLICT',
          'This reading is not finished yet: ask for suggestions once its task is COMPLETED.',
        );
      return { ...suggestionsOf(analysis, patientAge), scanId: found.scanId };
    },
    priorityOf: (id: string): JobPriority => record(id).priority,
  };
}
export type ReadingsService = ReturnType<typeof createReadingsService>;
