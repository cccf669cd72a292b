import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import type { Command } from '../args.js';
import { openCliCore, type CliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { deidentifyAuditDetails } from '../../core/index.js';
import { EXIT_INTERRUPTED } from './import.js';

type Deidentify = Extract<Command, { kind: 'deidentify' }>;

/** `deidentify --folder IN --out DIR`: files on disk, not stored data; nothing is imported. */
async function runFolder(
  command: Deidentify,
  folder: string,
  io: CliIo,
  cli: CliCore,
  abort: AbortController,
): Promise<number> {
  const inDir = resolve(io.cwd, folder);
  const outDir = resolve(io.cwd, command.out);
  if (!existsSync(inDir) || !statSync(inDir).isDirectory())
    throw new AppError('NOT_FOUND', `${inDir} is not a folder: check the path.`);
  const result = await cli.core.deidentify.folder(
    inDir,
    outDir,
    {
      dates: command.dates,
      retainUids: command.retainUids,
      retainPatientCharacteristics: command.retainPatientCharacteristics,
      allowBurnedIn: command.allowBurnedIn,
    },
    {
      signal: abort.signal,
      onProgress: (done, total) => {
        if (io.stderr.isTTY === true) io.stderr.write(`\rDe-identifying: ${done}/${total}`);
      },
    },
  );
  if (io.stderr.isTTY === true) io.stderr.write('\n');
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ folder: inDir, outDir, ...result }, null, 2)}\n`);
  } else {
    const lines = [
      `De-identified ${result.written.length} DICOM files of ${inDir} into ${outDir}`,
      ...(result.pseudonymIds.length === 0
        ? []
        : [`Pseudonyms: ${result.pseudonymIds.join(', ')}`]),
      ...result.skipped.map((s) => `Left out: ${s}`),
      ...result.burnedIn.map((b) => `Exported as confirmed, pixels may show text: ${b}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.written.length === 0 ? 1 : 0;
}

/**
 * `deidentify <scan-id|study-id> --out DIR`: the scan's series or the study's DICOM series
 * de-identified into DIR (docs/deidentification.md). Ctrl-C stops between files.
 */
export async function runDeidentify(command: Deidentify, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  try {
    if (command.folder !== null) return await runFolder(command, command.folder, io, cli, abort);
    const id = command.id!;
    const kind = cli.core.deidentify.kindOf(id);
    const request = {
      kind,
      id,
      dates: command.dates,
      retainUids: command.retainUids,
      retainPatientCharacteristics: command.retainPatientCharacteristics,
      includeResults: command.includeResults,
      allowBurnedIn: command.allowBurnedIn,
    };
    const outDir = resolve(io.cwd, command.out);
    const written = await cli.core.deidentify.writeFolder(request, outDir, {
      signal: abort.signal,
      onProgress: (done, total) => {
        if (io.stderr.isTTY === true) io.stderr.write(`\rDe-identifying: ${done}/${total}`);
      },
    });
    if (io.stderr.isTTY === true) io.stderr.write('\n');
    cli.core.audit.append({
      at: new Date().toISOString(),
      actor: 'system:cli',
      action: 'deidentify.export',
      target: id,
      details: deidentifyAuditDetails(request, written),
    });
    if (command.json) {
      const { files: _files, ...rest } = written;
      io.stdout.write(`${JSON.stringify({ id, kind, outDir, ...rest }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `De-identified ${written.files.length} DICOM files of the ${kind} into ${outDir}`,
      `Pseudonym: ${written.pseudonymIds.join(', ')}`,
      ...written.burnedIn.map((b) => `Exported as confirmed, pixels may show text: ${b}`),
      ...written.notes.map((note) => `Note: ${note}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (abort.signal.aborted) {
      io.stderr.write('\nStopped: nothing was written.\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    removeSigint();
    await cli.close();
  }
}
