import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import {
  appVersion,
  createBackup,
  isEncryptedDataDir,
  recoverDataDir,
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
import { readStdin } from '../read-stdin.js';

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
    const recoveryKey =
      command.recoveryKeyStdin === true ? await readStdin(io.stdin, 4096) : undefined;
    if (recoveryKey !== undefined && isEncryptedDataDir(dataDir)) {
      // The recovery key would replace the key this (encrypted) folder is opened with.
      throw new AppError(
        'CONFLICT',
        `${dataDir} is an encrypted data folder with its own key: restore with --recovery-key-stdin only into a new folder (--data-dir), or without it here.`,
      );
    }
    const result = await restoreBackup({
      // An encrypted backup is unlocked with this data folder's key (keychain or key file), or
      // with the recovery key, which then stores a new key for this data folder.
      databaseKeyOf: async (folder) => {
        if (recoveryKey !== undefined && folder !== dataDir) {
          return (
            await recoverDataDir({ dataDir: folder, keyFor: dataDir, env: io.env, recoveryKey })
          ).keys.databaseKey;
        }
        try {
          return (await unlockDataDir(folder, await wrappingKeyStoreFor({ dataDir, env: io.env })))
            .keys.databaseKey;
        } catch (error) {
          if (folder === dataDir) throw error;
          throw new AppError(
            'PERMISSION_DENIED',
            `The backup is of an encrypted data folder, and the key for ${dataDir} does not unlock it (${error instanceof Error ? error.message : String(error)}). ` +
              'Nothing was replaced. Run the restore again with --recovery-key-stdin and give the recovery key on stdin.',
          );
        }
      },
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
