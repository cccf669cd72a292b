import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportReport, Job } from '../../../src-shared/contract/entities.js';
import type { EventPayload } from '../../../src-shared/contract/events.js';
import { AppError, isAppError, type AppErrorData } from '../../../src-shared/errors.js';
import type { Command } from '../args.js';
import { openCliCore, type CliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { formatImportCounts, formatImportReport } from '../format/import-report.js';
import { createProgressDisplay } from '../format/progress.js';

type ImportCommand = Extract<Command, { kind: 'import' }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const EXIT_INTERRUPTED = 130;

interface JobOutcome {
  jobId: string;
  status: Job['status'];
  /** How far it got: useful when it was cancelled or failed. */
  progress: number;
  stage: string | null;
  error: AppErrorData | null;
  report: ImportReport;
}

/** --patient takes the patient's id or, as clinics know them, their MRN. */
export async function resolvePatient(cli: CliCore, idOrMrn: string): Promise<string> {
  if (UUID.test(idOrMrn)) return (await cli.call('patients.get', { id: idOrMrn })).id;
  const page = await cli.call('patients.list', { search: idOrMrn, limit: 500 });
  const match = page.items.find((patient) => patient.mrn === idOrMrn);
  if (match === undefined)
    throw new AppError('NOT_FOUND', `No patient has the id or MRN "${idOrMrn}".`);
  return match.id;
}

async function outcomeOf(cli: CliCore, job: Job): Promise<JobOutcome> {
  return {
    jobId: job.id,
    status: job.status,
    progress: job.progress,
    stage: job.stage,
    error: job.error,
    report: await cli.call('import.report', { id: job.id }),
  };
}

const shortId = (id: string): string => id.slice(0, 8);

/**
 * `neurosphere import <paths...>`: queues an import job, shows its progress on stderr, waits
 * for it and prints the report. Jobs left over from a crash run first (they are resumed
 * when the queue starts) and are reported as well.
 */
export async function runImport(command: ImportCommand, io: CliIo): Promise<number> {
  // Job payloads outlive this process (a resumed job may run elsewhere): store absolute paths.
  const paths = command.paths.map((path) => resolve(io.cwd, path));
  // A mistyped path is the operator's error, not a rejected file of a "completed" import.
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new AppError('NOT_FOUND', `No such file or folder: ${missing.join(', ')}`);
  }
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env, jobConcurrency: 1 });
  const progress = createProgressDisplay(io.stderr);
  let ownJobId: string | null = null;
  const earlierJobs = new Set<string>();
  let removeSigint = (): void => undefined;

  // The queue may claim our job before call() returns its id: hold events until it is known.
  const heldBack: Job[] = [];
  const showJob = (job: Job): void => {
    if (job.id === ownJobId) {
      progress.show('Import', job);
      return;
    }
    if (!earlierJobs.has(job.id)) {
      earlierJobs.add(job.id);
      progress.finish();
      const why = job.attempts > 1 ? 'resumed after an interruption' : 'queued earlier';
      io.stderr.write(
        `Running import ${job.id} first (${why}; attempt ${job.attempts} of ${job.maxAttempts}).\n`,
      );
    }
    progress.show(`Earlier import ${shortId(job.id)}`, job);
  };
  const unsubscribe = cli.core.events.subscribe((name, payload) => {
    if (name !== 'jobs.updated') return;
    const { job } = payload as EventPayload<'jobs.updated'>;
    if (job.status !== 'processing' || job.type !== 'import.files') return;
    if (ownJobId === null) heldBack.push(job);
    else showJob(job);
  });

  try {
    // Subscribed first, so recovery of interrupted jobs is seen.
    cli.core.jobs.start();
    const patientId =
      command.patient === undefined ? undefined : await resolvePatient(cli, command.patient);
    const queued = await cli.call('import.files', {
      paths,
      ...(patientId !== undefined && { patientId }),
    });
    ownJobId = queued.id;
    for (const job of heldBack.splice(0)) showJob(job);

    let isInterrupted = false;
    removeSigint = io.onSignal('SIGINT', () => {
      if (isInterrupted) {
        io.stderr.write('\nStopped without waiting for the cancel to finish.\n');
        io.exit(EXIT_INTERRUPTED);
        return;
      }
      isInterrupted = true;
      progress.finish();
      io.stderr.write('Cancelling the import (Ctrl-C again to quit at once)…\n');
      cli.call('jobs.cancel', { id: queued.id }).catch((error: unknown) => {
        // CONFLICT: it finished meanwhile, and the normal report follows.
        if (isAppError(error) && error.code === 'CONFLICT') return;
        io.stderr.write(
          `Could not cancel: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      });
    });

    const finished = await cli.core.jobs.whenFinished(queued.id);
    progress.finish();
    const own = await outcomeOf(cli, finished);
    const earlier = await Promise.all(
      [...earlierJobs].map(async (id) => outcomeOf(cli, await cli.call('jobs.get', { id }))),
    );

    if (command.json) {
      io.stdout.write(`${JSON.stringify({ ...own, resumedJobs: earlier }, null, 2)}\n`);
    } else {
      for (const job of earlier) {
        io.stdout.write(
          `Earlier import ${job.jobId} ${job.status}: ${formatImportCounts(job.report)}\n`,
        );
      }
      if (own.status === 'completed') io.stdout.write(formatImportReport(own.report));
      else if (own.report.total > 0) {
        // The queue saves the report at checkpoints; a cancelled or failed job has the last one.
        io.stdout.write(`Report up to the last checkpoint:\n${formatImportReport(own.report)}`);
      }
    }
    return exitFor(own, finished, isInterrupted, io);
  } finally {
    removeSigint();
    unsubscribe();
    await cli.close();
  }
}

function exitFor(own: JobOutcome, job: Job, isInterrupted: boolean, io: CliIo): number {
  switch (own.status) {
    case 'completed':
      if (own.report.rejected > 0)
        io.stderr.write(
          `The import completed, but ${own.report.rejected} file(s) were rejected: see the reasons in the report.\n`,
        );
      else io.stderr.write(`Import ${job.id} completed.\n`);
      return 0;
    case 'cancelled':
      io.stderr.write(
        `Import ${job.id} was cancelled${isInterrupted ? '' : ' (from another program)'} ` +
          `at "${job.stage ?? 'the start'}"; the files handled until then stay imported.\n`,
      );
      return isInterrupted ? EXIT_INTERRUPTED : 1;
    case 'failed':
      io.stderr.write(`Import ${job.id} failed: ${own.error?.message ?? 'no reason recorded'}\n`);
      return 1;
    case 'pending':
    case 'processing':
      // whenFinished only resolves for finished jobs.
      throw new Error(`Import ${job.id} reported as finished while ${own.status}.`);
  }
}
