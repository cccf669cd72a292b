import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { DentalVoiceCaption } from '../../../src-shared/contract/dental.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { createProgressDisplay } from '../format/progress.js';
import { EXIT_INTERRUPTED } from './import.js';

type DentalCaptionCommand = Extract<Command, { kind: 'dental caption' }>;

/**
 * `neurosphere dental caption --case ID --voice FILE.webm`: uploads the recording through the
 * contract's upload stream, waits for its transcription job (progress on stderr, Ctrl-C cancels)
 * and prints the transcript, raw and corrected.
 */
export async function runDentalCaption(command: DentalCaptionCommand, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, command.voice);
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    throw new AppError('NOT_FOUND', `The recording ${path} could not be found: check the path.`);
  }
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env, jobConcurrency: 1 });
  const progress = createProgressDisplay(io.stderr);
  let removeSigint = (): void => undefined;
  try {
    cli.core.jobs.start();
    const created: DentalVoiceCaption = await cli.upload(
      'dental.voiceCaptions.upload',
      { caseId: command.caseId, modality: command.modality, name: basename(path) },
      createReadStream(path),
    );
    let isInterrupted = false;
    const jobId = created.jobId;
    if (jobId !== null) {
      const unsubscribe = cli.core.events.subscribe((name, payload) => {
        const job = (payload as { job?: { id: string } }).job;
        if (name === 'jobs.updated' && job?.id === jobId)
          progress.show('Transcription', cli.core.jobs.get(jobId));
      });
      removeSigint = io.onSignal('SIGINT', () => {
        isInterrupted = true;
        io.stderr.write('\nCancelling the transcription…\n');
        void cli.call('jobs.cancel', { id: jobId }).catch(() => undefined);
      });
      await cli.core.jobs.whenFinished(jobId);
      unsubscribe();
      progress.finish();
    }
    const done = await cli.call('dental.voiceCaptions.get', { id: created.id });
    if (command.json) io.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
    else {
      io.stdout.write(`Voice caption ${done.id} (${done.fileName}, ${done.size} bytes)\n`);
      if (done.seconds !== null) io.stdout.write(`  length: ${done.seconds.toFixed(1)} s\n`);
      io.stdout.write(`  transcription: ${done.status}\n`);
      if (done.rawTranscript !== null) io.stdout.write(`  heard: ${done.rawTranscript}\n`);
      if (done.caption !== null) io.stdout.write(`  caption: ${done.caption.text}\n`);
      for (const c of done.corrections) io.stdout.write(`  corrected: "${c.from}" → "${c.to}"\n`);
    }
    if (isInterrupted) return EXIT_INTERRUPTED;
    if (done.status !== 'completed') {
      io.stderr.write(
        `The transcription ended ${done.status}${done.error === null ? '' : `: ${done.error}`}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    removeSigint();
    await cli.close();
  }
}
