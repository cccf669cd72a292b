import { randomUUID } from 'node:crypto';
import type { DicomSource, RetrieveTask } from '../../../src-shared/contract/dicom-node.js';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { DicomWebService } from '../dicomweb/dicomweb-service.js';
import { chooseSource } from './choose-source.js';
import type { DicomNodeService } from './dicom-node-service.js';

/** Finished retrieves kept for the screen (the newest). */
const KEEP_FINISHED = 50;

export interface RetrieveStart {
  destinationId: string;
  source?: DicomSource | undefined;
  studyInstanceUid: string;
  seriesInstanceUid?: string | undefined;
  label?: string | undefined;
  expected?: number | null | undefined;
  /** Who asked (the audit's actor of the imported instances of a DICOMweb retrieve). */
  actor?: string | undefined;
}

/**
 * Retrieves (C-MOVE to our own listener, or WADO-RS of a DICOMweb endpoint) that run in the background, so the query screen shows
 * their progress and can cancel them; the instances they bring are imported by the listener as
 * they arrive, so a cancelled retrieve keeps what came.
 */
export function createRetrieveTasks(deps: {
  node: DicomNodeService;
  /** WADO-RS retrieves (each instance imported as it comes); absent: DIMSE only. */
  dicomweb?: Pick<DicomWebService, 'retrieve'>;
  clock: Clock;
  logger: Logger;
  /** Called when a task changes state or progress (the screen polls; events are optional). */
  onChange?: (task: RetrieveTask) => void;
}) {
  const { node, clock, logger } = deps;
  const tasks = new Map<
    string,
    { task: RetrieveTask; abort: AbortController; done: Promise<void> }
  >();

  function update(entry: { task: RetrieveTask }, patch: Partial<RetrieveTask>): void {
    entry.task = { ...entry.task, ...patch };
    deps.onChange?.(entry.task);
  }

  function prune(): void {
    const finished = [...tasks.values()]
      .filter((e) => e.task.state !== 'running')
      .sort((a, b) => b.task.startedAt.localeCompare(a.task.startedAt));
    for (const old of finished.slice(KEEP_FINISHED)) tasks.delete(old.task.id);
  }

  /** The listener must run in the node's process: the PACS sends the study to it. */
  function assertListening(): void {
    if (!node.isNodeProcess()) return; // the CLI: `retrieve` starts a listener for the call
    const status = node.status();
    if (status.listening) return;
    throw new AppError(
      'CONFLICT',
      status.error !== null
        ? `The DICOM listener is not running (${status.error}): fix it in Settings → DICOM, then retrieve again; the PACS sends the study to it.`
        : 'The DICOM listener is off: turn it on in Settings → DICOM (the PACS sends the study to it), then retrieve again.',
    );
  }

  return {
    start(input: RetrieveStart): RetrieveTask {
      const source = chooseSource(node.destination(input.destinationId), input.source);
      const web = deps.dicomweb;
      if (source === 'dicomweb' && web === undefined)
        throw new AppError('INVALID_INPUT', 'DICOMweb retrieves are not available here.');
      const peer = source === 'dimse' ? node.peerOf(node.destination(input.destinationId)) : null;
      if (peer !== null) assertListening();
      const seriesInstanceUid = input.seriesInstanceUid ?? null;
      const busy = [...tasks.values()].find(
        (e) =>
          e.task.state === 'running' &&
          e.task.destinationId === input.destinationId &&
          e.task.studyInstanceUid === input.studyInstanceUid &&
          (e.task.seriesInstanceUid === null || e.task.seriesInstanceUid === seriesInstanceUid),
      );
      if (busy !== undefined)
        throw new AppError(
          'CONFLICT',
          `"${busy.task.label}" is already being retrieved: wait for it or cancel it.`,
          { taskId: busy.task.id },
        );
      const abort = new AbortController();
      const entry = {
        task: {
          id: randomUUID(),
          destinationId: input.destinationId,
          source,
          studyInstanceUid: input.studyInstanceUid,
          seriesInstanceUid,
          label: input.label ?? input.studyInstanceUid,
          state: 'running',
          received: 0,
          expected: input.expected ?? null,
          completed: 0,
          failed: 0,
          warnings: 0,
          error: null,
          startedAt: clock.iso(),
          finishedAt: null,
          scanIds: [],
        } as RetrieveTask,
        abort,
        done: Promise.resolve(),
      };
      tasks.set(entry.task.id, entry);
      const running =
        peer === null
          ? web!
              .retrieve(
                {
                  destinationId: input.destinationId,
                  studyInstanceUid: input.studyInstanceUid,
                  ...(seriesInstanceUid !== null && { seriesInstanceUid }),
                },
                {
                  signal: abort.signal,
                  ...(input.actor !== undefined && { actor: input.actor }),
                  onProgress: (received) =>
                    update(entry, {
                      received,
                      expected:
                        entry.task.expected === null
                          ? null
                          : Math.max(entry.task.expected, received),
                    }),
                },
              )
              // WADO-RS counts: imported and already-here instances are received; refused ones failed.
              .then((r) => ({
                completed: r.imported + r.duplicates,
                failed: r.rejected,
                warnings: 0,
                scanIds: r.scanIds,
              }))
          : node.retrieve(peer, input.studyInstanceUid, {
              signal: abort.signal,
              ...(seriesInstanceUid !== null && { seriesInstanceUid }),
              onProgress: (done, total) => update(entry, { received: done, expected: total }),
            });
      entry.done = running
        .then(
          (outcome) => {
            const done = outcome.completed + outcome.failed + outcome.warnings;
            update(entry, {
              state: 'done',
              completed: outcome.completed,
              failed: outcome.failed,
              warnings: outcome.warnings,
              received: Math.max(entry.task.received, outcome.completed + outcome.warnings),
              expected: Math.max(entry.task.expected ?? 0, done),
              error:
                outcome.failed === 0
                  ? null
                  : source === 'dicomweb'
                    ? `${outcome.failed} of ${done} instances were refused by the import (not valid DICOM images): see the log.`
                    : `${outcome.failed} of ${done} instances were not received: check that this workstation accepts the PACS's AE title (Settings → DICOM, allowed callers) and its log.`,
              finishedAt: clock.iso(),
              scanIds: outcome.scanIds,
            });
          },
          (error: unknown) => {
            // An aborted WADO-RS request fails as a cut connection: it is a cancel.
            const cancelled =
              (isAppError(error) && error.code === 'CANCELLED') || abort.signal.aborted;
            if (!cancelled) logger.warn('DICOM retrieve failed', { error });
            update(entry, {
              state: cancelled ? 'cancelled' : 'failed',
              error: cancelled
                ? `Cancelled after ${entry.task.received} instances; those received are kept.`
                : isAppError(error)
                  ? error.message
                  : `The retrieve failed: ${String(error)}`,
              finishedAt: clock.iso(),
            });
          },
        )
        .finally(prune);
      return entry.task;
    },

    /** The retrieves of this session of the node, newest first. */
    list(): RetrieveTask[] {
      return [...tasks.values()]
        .map((e) => e.task)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
    },

    get(id: string): RetrieveTask {
      const entry = tasks.get(id);
      if (entry === undefined)
        throw new AppError(
          'NOT_FOUND',
          `No retrieve ${id} (finished ones are kept until restart).`,
        );
      return entry.task;
    },

    /** Aborts the association: the PACS stops sending; what arrived stays imported. */
    async cancel(id: string): Promise<RetrieveTask> {
      const entry = tasks.get(id);
      if (entry === undefined) throw new AppError('NOT_FOUND', `No retrieve ${id}.`);
      if (entry.task.state === 'running') {
        entry.abort.abort();
        await entry.done;
      }
      return entry.task;
    },

    /** Cancels what runs (shutdown). */
    async close(): Promise<void> {
      const running = [...tasks.values()].filter((e) => e.task.state === 'running');
      for (const entry of running) entry.abort.abort();
      await Promise.all(running.map((e) => e.done));
    },
  };
}
export type RetrieveTasks = ReturnType<typeof createRetrieveTasks>;
