import { resolve } from 'node:path';
import type { DentalCase, DentalStl } from '../../../src-shared/contract/dental.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { createProgressDisplay } from '../format/progress.js';
import { EXIT_INTERRUPTED, resolvePatient } from './import.js';

type DentalImportCommand = Extract<Command, { kind: 'import dental' }>;

function stlLine(stl: DentalStl | null, jaw: string): string {
  if (stl === null) return `  ${jaw}: none\n`;
  return `  ${jaw}: ${stl.fileName} (${stl.format} STL, ${stl.triangleCount} triangles, ${stl.size} bytes, sha256 ${stl.sha256})\n`;
}

/**
 * `neurosphere import --dental`: creates a dental case through the contract (the STLs are
 * checked before anything is stored) and waits for its CBCT import job, showing its progress;
 * Ctrl-C cancels that job (the case and its STLs stay).
 */
export async function runImportDental(command: DentalImportCommand, io: CliIo): Promise<number> {
  const absolute = (path: string | undefined) =>
    path === undefined ? undefined : resolve(io.cwd, path);
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env, jobConcurrency: 1 });
  const progress = createProgressDisplay(io.stderr);
  let removeSigint = (): void => undefined;
  try {
    cli.core.jobs.start();
    const patientId =
      command.patient === undefined ? undefined : await resolvePatient(cli, command.patient);
    const upperStl = absolute(command.upper);
    const lowerStl = absolute(command.lower);
    const cbct = absolute(command.cbct);
    let created: DentalCase = await cli.call('dental.cases.create', {
      name: command.name,
      ...(patientId !== undefined && { patientId }),
      ...(upperStl !== undefined && { upperStl }),
      ...(lowerStl !== undefined && { lowerStl }),
      ...(cbct !== undefined && { cbct }),
    });
    let isInterrupted = false;
    if (created.cbct !== null) {
      const jobId = created.cbct.jobId;
      const unsubscribe = cli.core.events.subscribe((name, payload) => {
        const job = (payload as { job?: { id: string } }).job;
        if (name === 'jobs.updated' && job?.id === jobId)
          progress.show('CBCT import', cli.core.jobs.get(jobId));
      });
      removeSigint = io.onSignal('SIGINT', () => {
        isInterrupted = true;
        io.stderr.write('\nCancelling the CBCT import…\n');
        void cli.call('jobs.cancel', { id: jobId }).catch(() => undefined);
      });
      await cli.core.jobs.whenFinished(jobId);
      unsubscribe();
      progress.finish();
      created = await cli.call('dental.cases.get', { id: created.id });
    }
    if (command.json) io.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    else {
      io.stdout.write(`Dental case ${created.id} "${created.name}"\n`);
      io.stdout.write(stlLine(created.upper, 'upper'));
      io.stdout.write(stlLine(created.lower, 'lower'));
      io.stdout.write(
        created.cbct === null
          ? '  cbct: none\n'
          : `  cbct: import ${created.cbct.jobId} ${created.cbct.status}, scan ${created.cbct.scanId ?? 'none'}\n`,
      );
    }
    if (isInterrupted) return EXIT_INTERRUPTED;
    if (created.cbct !== null && created.cbct.status !== 'completed') {
      io.stderr.write(
        `The CBCT import ended ${created.cbct.status}: see \`neurosphere jobs list\`.\n`,
      );
      return 1;
    }
    if (created.cbct !== null && created.cbct.scanId === null) {
      io.stderr.write('The CBCT import made no volume: the files were rejected or duplicates.\n');
      return 1;
    }
    return 0;
  } finally {
    removeSigint();
    await cli.close();
  }
}
