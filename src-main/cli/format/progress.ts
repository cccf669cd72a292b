import type { Job } from '../../../src-shared/contract/entities.js';
import type { OutputStream } from '../cli-io.js';

/** "about 5 s", "about 3 min"; empty until the queue has a rate to estimate from. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** "Importing file 41 of 400 · 10% · about 3 s left" */
export function formatProgress(job: Job): string {
  const parts = [job.stage ?? 'Starting', `${Math.floor(job.progress * 100)}%`];
  const eta = job.progress < 1 ? formatEta(job.etaSeconds) : '';
  if (eta !== '') parts.push(eta);
  return parts.join(' · ');
}

export interface ProgressDisplay {
  show(label: string, job: Job): void;
  /** Ends the updating line so the next output starts on a fresh one. */
  finish(): void;
}

/** Percent steps between plain lines: a log file gets a readable trail, not one line per file. */
const PLAIN_STEP_PERCENT = 5;

/**
 * On a terminal: one line rewritten in place. Otherwise (a pipe, a log file): plain lines,
 * one per stage change or every few percent.
 */
export function createProgressDisplay(stream: OutputStream): ProgressDisplay {
  const isTty = stream.isTTY === true;
  let hasOpenLine = false;
  const lastStep = new Map<string, number>();

  return {
    show(label, job) {
      const text = `${label}: ${formatProgress(job)}`;
      if (isTty) {
        stream.write(`\r${text}\x1b[K`);
        hasOpenLine = true;
        return;
      }
      const step = Math.floor((job.progress * 100) / PLAIN_STEP_PERCENT);
      const key = `${label}|${job.status}`;
      if (lastStep.get(key) === step) return;
      lastStep.set(key, step);
      stream.write(`${text}\n`);
    },
    finish() {
      if (hasOpenLine) stream.write('\n');
      hasOpenLine = false;
    },
  };
}
