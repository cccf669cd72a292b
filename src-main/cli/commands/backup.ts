import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import {
  appVersion,
  createBackup,
  isEncryptedDataDir,
  resolveDataDir,
  resolveDataDirEncryption,
  restoreBackup,
  unlockDataDir,
  wrappingKeyStoreFor,
  type BackupProgress,
  type RestoreProgress,
} from '../../core/index.js';
import type { Command } from '../args.js';
import type { CliIo } from '../cli-io.js';

type Backup = Extract<Command, { kind: 'backup' }>;
type Restore = Extract<Command, { kind: 'restore' }>;

const MIB = 1024 * 1024;

/** Progress on stderr, one line per 10 % (a log file stays readable), stage changes always. */
function progressPrinter(io: CliIo, verb: string) {
  let lastStage = '';
  let lastTenth = -1;
  return (progress: BackupProgress | RestoreProgress): void => {
    const tenth =
      progress.totalBytes === 0 ? 10 : Math.floor((progress.doneBytes / progress.totalBytes) * 10);
    if (progress.stage === lastStage && tenth === lastTenth) return;
    lastStage = progress.stage;
    lastTenth = tenth;
    io.stderr.write(
      `${verb}: ${progress.stage} ${(progress.doneBytes / MIB).toFixed(1)} / ` +
        `${(progress.totalBytes / MIB).toFixed(1)} MiB (${tenth * 10} %)\n`,
    );
  };
}

/** Ctrl-C aborts; a second one quits at once. */
function abortOnSigint(io: CliIo, what: string): { signal: AbortSignal; remove: () => void } {
  const controller = new AbortController();
  const remove = io.onSignal('SIGINT', () => {
    if (controller.signal.aborted) {
      io.exit(130);
      return;
    }
    io.stderr.write(`\nCancelling the ${what} (Ctrl-C again to quit at once)…\n`);
    controller.abort();
  });
  return { signal: controller.signal, remove };
}

export async function runBackup(command: Backup, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  const targetDir = resolve(io.cwd, command.dir);
  const { signal, remove } = abortOnSigint(io, 'backup');
  try {
    const encryption = isEncryptedDataDir(dataDir)
      ? await resolveDataDirEncryption({ dataDir, env: io.env })
      : null;
    const result = await createBackup({
      ...(encryption !== null && { keys: encryption.keys }),
      dataDir,
      targetDir,
      appVersion: appVersion(),
      now: () => new Date(),
      signal,
      onProgress: progressPrinter(io, 'backup'),
    });
    for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
    if (command.json) {
      io.stdout.write(
        `${JSON.stringify({ dir: result.dir, files: result.manifest.files.length, bytes: result.totalBytes, warnings: result.warnings })}\n`,
      );
    } else {
      io.stdout.write(
        `Backed up ${dataDir} to ${result.dir}: the database and ${result.blobCount} stored ` +
          `files, ${(result.totalBytes / MIB).toFixed(1)} MiB, each with its sha256 in ` +
          'manifest.json.\n',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CANCELLED') {
      io.stderr.write('Backup cancelled; the unfinished backup folder was removed.\n');
      return 130;
    }
    throw error;
  } finally {
    remove();
  }
}

export async function runRestore(command: Restore, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  const backupDir = resolve(io.cwd, command.dir);
  const { signal, remove } = abortOnSigint(io, 'restore');
  try {
    const result = await restoreBackup({
      // A backup of an encrypted folder is unlocked with this data folder's keychain entry.
      databaseKeyOf: async (folder) =>
        (await unlockDataDir(folder, await wrappingKeyStoreFor({ dataDir, env: io.env }))).keys
          .databaseKey,
      backupDir,
      dataDir,
      now: () => new Date(),
      signal,
      onProgress: progressPrinter(io, 'restore'),
    });
    if (command.json) {
      io.stdout.write(
        `${JSON.stringify({ dataDir, files: result.fileCount, createdAt: result.manifest.createdAt, previousDataDir: result.previousDataDir })}\n`,
      );
    } else {
      io.stdout.write(
        `Restored the backup of ${result.manifest.createdAt} (${result.fileCount} files, all ` +
          `verified) into ${dataDir}.\n` +
          (result.previousDataDir === null
            ? ''
            : `The data folder it replaced is kept at ${result.previousDataDir}; delete it ` +
              'once the restored data looks right.\n'),
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CANCELLED') {
      io.stderr.write(`${error.message}\n`);
      return 130;
    }
    throw error;
  } finally {
    remove();
  }
}
