import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import type { Command } from '../args.js';
import { openCliCore, type CliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_INTERRUPTED } from './import.js';

type Dicom = Extract<Command, { kind: 'dicom' }>;
interface Peer {
  aeTitle: string;
  host: string;
  port: number;
}

const INLINE_PEER = /^([^@\\]{1,16})@([A-Za-z0-9.:_-]+):(\d{1,5})$/;

/** A destination's id from the settings, or AE@host:port written out. */
function peerOf(cli: CliCore, text: string): Peer {
  const inline = INLINE_PEER.exec(text);
  if (inline !== null) return { aeTitle: inline[1]!, host: inline[2]!, port: Number(inline[3]) };
  return cli.core.dicomNode.peerOf(cli.core.dicomNode.destination(text));
}

/** Files under the paths (folders walked), in a stable order. */
function filesUnder(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let info;
    try {
      info = statSync(path);
    } catch {
      throw new AppError('NOT_FOUND', `Cannot read ${path}: check the path.`);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
    }
  }
  return files.sort();
}

/** `neurosphere dicom echo|find|move|send|listen`: the DICOM node from the command line. */
export async function runDicom(command: Dicom, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const node = cli.core.dicomNode;
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  const overrides = {
    ...(command.aeTitle !== undefined && { aeTitle: command.aeTitle }),
    ...(command.port !== undefined && { port: command.port }),
  };
  node.overrideForThisProcess(overrides);
  const audit = (action: string, target: string | null, details: Record<string, unknown>): void =>
    cli.core.audit.append({ at: new Date().toISOString(), actor: 'cli', action, target, details });
  const print = (value: unknown, text: string): void => {
    io.stdout.write(command.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  };
  try {
    switch (command.action) {
      case 'echo': {
        const peer = peerOf(cli, command.peer!);
        const { ms } = await node.echo(peer, abort.signal);
        print(
          { ...peer, ms },
          `${peer.aeTitle} at ${peer.host}:${peer.port} answered C-ECHO in ${ms} ms.`,
        );
        return 0;
      }
      case 'find': {
        const peer = peerOf(cli, command.peer!);
        const matches = await node.find(peer, command.query, abort.signal);
        audit('dicom.find', peer.aeTitle, { ...command.query, matches: matches.length });
        const lines = matches.map(
          (m) =>
            `${m.studyDate ?? '--------'}  ${m.patientId ?? '-'}  ${m.patientName ?? '-'}  ${m.studyDescription ?? ''}  [${m.modalities.join(',')}] ${m.instances ?? '?'} images${m.isLocal ? '  (here)' : ''}\n    ${m.studyInstanceUid}`,
        );
        print(matches, matches.length === 0 ? 'No study matches.' : lines.join('\n'));
        return 0;
      }
      case 'move': {
        const peer = peerOf(cli, command.peer!);
        const result = await node.retrieve(peer, command.studyInstanceUid!, {
          signal: abort.signal,
          onProgress: (done, total) => {
            if (io.stderr.isTTY === true) io.stderr.write(`\rReceived ${done} of ${total}`);
          },
        });
        if (io.stderr.isTTY === true) io.stderr.write('\n');
        audit('dicom.retrieve', command.studyInstanceUid!, { peer: peer.aeTitle, ...result });
        print(
          result,
          `Retrieved ${result.completed} instances (${result.failed} failed, ${result.warnings} warnings); scans: ${result.scanIds.join(', ') || 'none'}.`,
        );
        return result.failed > 0 ? 1 : 0;
      }
      case 'send': {
        const peer = peerOf(cli, command.peer!);
        const onProgress = (done: number, total: number): void => {
          if (io.stderr.isTTY === true) io.stderr.write(`\rSent ${done} of ${total}`);
        };
        const outcome =
          command.scanId !== undefined
            ? await node.sendScan(peer, command.scanId, { signal: abort.signal, onProgress })
            : await node.sendFiles(peer, filesUnder(command.paths, io.cwd), {
                signal: abort.signal,
                onProgress,
              });
        if (io.stderr.isTTY === true) io.stderr.write('\n');
        audit('dicom.send', command.scanId ?? null, { peer: peer.aeTitle, sent: outcome.sent });
        const failures = outcome.failed.map(
          (f) => `  ${f.path}: status 0x${f.status.toString(16)} ${f.comment}`,
        );
        print(
          outcome,
          [`Sent ${outcome.sent}; ${outcome.failed.length} refused.`, ...failures].join('\n'),
        );
        return outcome.failed.length > 0 ? 1 : 0;
      }
      case 'listen': {
        const port = await node.startListener();
        const settings = node.settings();
        io.stdout.write(
          `Listening as ${settings.aeTitle} on ${settings.bindAddress}:${port} (Ctrl-C stops).\n`,
        );
        const stop = node.onReceived((event) => {
          const { instance, outcome } = event;
          const line = {
            from: instance.sourceAeTitle,
            sopInstanceUid: instance.sopInstanceUid,
            status: outcome.status,
            ...(outcome.status === 'rejected' && { reason: outcome.reason }),
            ...(event.scanId !== undefined && { scanId: event.scanId }),
          };
          io.stdout.write(
            command.json
              ? `${JSON.stringify(line)}\n`
              : `${line.from}: ${line.sopInstanceUid} ${line.status}${outcome.status === 'rejected' ? ` (${outcome.reason})` : ''}\n`,
          );
        });
        await new Promise<void>((done) => abort.signal.addEventListener('abort', () => done()));
        stop();
        const status = node.status();
        io.stdout.write(
          `Stopped: ${status.received} stored, ${status.duplicates} duplicates, ${status.rejected} refused.\n`,
        );
        return 0;
      }
    }
  } catch (error) {
    if (abort.signal.aborted) {
      io.stderr.write('\nStopped.\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    removeSigint();
    await cli.close();
  }
}
