import { resolve } from 'node:path';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { deidentifyAuditDetails } from '../../core/index.js';
import { EXIT_INTERRUPTED } from './import.js';

type Deidentify = Extract<Command, { kind: 'deidentify' }>;

/**
 * `deidentify <scan-id|study-id> --out DIR`: the scan's series or the study's DICOM series
 * de-identified into DIR (docs/deidentification.md). Ctrl-C stops between files.
 */
export async function runDeidentify(command: Deidentify, io: CliIo): Promise<number> {
  const cli = openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  try {
    const kind = cli.core.deidentify.kindOf(command.id);
    const request = {
      kind,
      id: command.id,
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
      target: command.id,
      details: deidentifyAuditDetails(request, written),
    });
    if (command.json) {
      const { files: _files, ...rest } = written;
      io.stdout.write(`${JSON.stringify({ id: command.id, kind, outDir, ...rest }, null, 2)}\n`);
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
