import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_INTERRUPTED } from './import.js';

type DicomWeb = Extract<Command, { kind: 'dicomweb' }>;

/** Non-terminal stderr (a log, a pipe): a progress line every this many instances. */
const PROGRESS_EVERY = 25;

/** `neurosphere dicomweb search|retrieve`: QIDO-RS and WADO-RS of a PACS destination. */
export async function runDicomWeb(command: DicomWeb, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  const audit = (action: string, target: string | null, details: Record<string, unknown>): void =>
    cli.core.audit.append({ at: new Date().toISOString(), actor: 'cli', action, target, details });
  const print = (value: unknown, text: string): void => {
    io.stdout.write(command.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  };
  let received = 0;
  try {
    const dicomweb = cli.core.dicomweb;
    if (command.action === 'search') {
      const matches = await dicomweb.findStudies(
        { destinationId: command.destinationId, ...command.query },
        abort.signal,
      );
      audit('dicom.find', command.destinationId, {
        ...command.query,
        source: 'dicomweb',
        matches: matches.length,
      });
      const lines = matches.map(
        (m) =>
          `${m.studyDate ?? '--------'}  ${m.patientId ?? '-'}  ${m.patientName ?? '-'}  ${m.studyDescription ?? ''}  [${m.modalities.join(',')}] ${m.instances ?? '?'} images${m.isLocal ? '  (here)' : ''}\n    ${m.studyInstanceUid}`,
      );
      print(matches, matches.length === 0 ? 'No study matches.' : lines.join('\n'));
      return 0;
    }
    const tty = io.stderr.isTTY === true;
    const result = await dicomweb.retrieve(
      {
        destinationId: command.destinationId,
        studyInstanceUid: command.studyInstanceUid!,
        ...(command.seriesInstanceUid !== undefined && {
          seriesInstanceUid: command.seriesInstanceUid,
        }),
      },
      {
        actor: 'cli',
        signal: abort.signal,
        onProgress: (done) => {
          received = done;
          if (tty) io.stderr.write(`\rReceived ${done} instances`);
          else if (done % PROGRESS_EVERY === 0) io.stderr.write(`Received ${done} instances\n`);
        },
      },
    );
    if (tty) io.stderr.write('\n');
    audit('dicomweb.retrieve', command.studyInstanceUid!, {
      destinationId: command.destinationId,
      ...(command.seriesInstanceUid !== undefined && {
        seriesInstanceUid: command.seriesInstanceUid,
      }),
      received: result.received,
      imported: result.imported,
      duplicates: result.duplicates,
      rejected: result.rejected,
    });
    print(
      result,
      `Retrieved ${result.received} instances: ${result.imported} imported, ${result.duplicates} already here, ${result.rejected} refused; scans: ${result.scanIds.join(', ') || 'none'}.`,
    );
    return result.rejected > 0 ? 1 : 0;
  } catch (error) {
    if (abort.signal.aborted) {
      io.stderr.write(`\nCancelled after ${received} instances; those received are kept.\n`);
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    removeSigint();
    await cli.close();
  }
}
