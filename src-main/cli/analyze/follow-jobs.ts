import type { Job } from '../../../src-shared/contract/entities.js';
import type { EventPayload } from '../../../src-shared/contract/events.js';
import { isAppError } from '../../../src-shared/errors.js';
import type { CliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { createProgressDisplay } from '../format/progress.js';
import { EXIT_INTERRUPTED } from './result.js';

export interface JobFollower {
  /**
   * Starts one job with `start`, shows its progress on stderr as `label` and resolves with it
   * once it has finished. `what` names it in the Ctrl-C message ("the analysis").
   */
  run(label: string, what: string, start: () => Promise<Job>): Promise<Job>;
  /** True after Ctrl-C: the command starts nothing new. */
  isInterrupted(): boolean;
  /** Ends the progress line so that normal output starts on a fresh one. */
  finishLine(): void;
  dispose(): void;
}

const shortId = (id: string): string => id.slice(0, 8);

/**
 * Progress and Ctrl-C for a command that runs several jobs one after another. The first Ctrl-C
 * cancels the running job (the command then stops starting new ones), a second one quits at once.
 * Jobs left over from a crash run before ours (the queue resumes them) and are shown as such.
 */
export function followJobs(cli: CliCore, io: CliIo): JobFollower {
  const progress = createProgressDisplay(io.stderr);
  let current: { id: string | null; label: string; what: string } | null = null;
  const earlierJobs = new Set<string>();
  let isInterrupted = false;
  // The queue may claim our job before start() returns its id: hold events until it is known.
  const heldBack: Job[] = [];

  const show = (job: Job): void => {
    if (current !== null && job.id === current.id) {
      progress.show(current.label, job);
      return;
    }
    if (!earlierJobs.has(job.id)) {
      earlierJobs.add(job.id);
      progress.finish();
      const why = job.attempts > 1 ? 'resumed after an interruption' : 'queued earlier';
      io.stderr.write(`Running ${job.type} job ${job.id} first (${why}).\n`);
    }
    progress.show(`Earlier job ${shortId(job.id)}`, job);
  };

  const unsubscribe = cli.core.events.subscribe((name, payload) => {
    if (name !== 'jobs.updated') return;
    const { job } = payload as EventPayload<'jobs.updated'>;
    if (job.status !== 'processing') return;
    if (current !== null && current.id === null) heldBack.push(job);
    else show(job);
  });

  const cancelCurrent = (): void => {
    const id = current?.id;
    if (id === null || id === undefined) return;
    cli.call('jobs.cancel', { id }).catch((error: unknown) => {
      // CONFLICT: it finished meanwhile, and its result is reported as usual.
      if (isAppError(error) && error.code === 'CONFLICT') return;
      io.stderr.write(
        `Could not cancel: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  };

  const removeSigint = io.onSignal('SIGINT', () => {
    if (isInterrupted) {
      io.stderr.write('\nStopped without waiting for the cancel to finish.\n');
      io.exit(EXIT_INTERRUPTED);
      return;
    }
    isInterrupted = true;
    progress.finish();
    io.stderr.write(
      `Cancelling ${current?.what ?? 'the command'} (Ctrl-C again to quit at once)…\n`,
    );
    cancelCurrent();
  });

  return {
    async run(label, what, start) {
      const entry: { id: string | null; label: string; what: string } = { id: null, label, what };
      current = entry;
      try {
        const job = await start();
        entry.id = job.id;
        for (const held of heldBack.splice(0)) show(held);
        // Ctrl-C while the job was being queued: it had no id to cancel yet.
        if (isInterrupted) cancelCurrent();
        const finished = await cli.core.jobs.whenFinished(job.id);
        progress.finish();
        return finished;
      } finally {
        heldBack.length = 0;
        current = null;
      }
    },
    isInterrupted: () => isInterrupted,
    finishLine: () => progress.finish(),
    dispose() {
      removeSigint();
      unsubscribe();
    },
  };
}
