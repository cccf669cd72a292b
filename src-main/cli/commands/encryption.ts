import {
  encryptExistingDataDir,
  encryptionStatus,
  isEncryptedDataDir,
  recoverDataDir,
  resolveDataDir,
  resolveDataDirEncryption,
  wrappingKeyStoreFor,
} from '../../core/index.js';
import type { Command } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { readStdin } from '../read-stdin.js';

type Status = Extract<Command, { kind: 'encryption status' }>;
type Recover = Extract<Command, { kind: 'encryption recover' }>;
type Enable = Extract<Command, { kind: 'encryption enable' }>;

/** `neurosphere encryption enable`: encrypts an existing plain data folder. */
export async function runEncryptionEnable(command: Enable, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  const result = await encryptExistingDataDir({
    dataDir,
    store: await wrappingKeyStoreFor({ dataDir, env: io.env }),
    now: () => new Date(),
    onProgress: (done, total) => io.stderr.write(`encrypting stored files: ${done} / ${total}\n`),
  });
  for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ dataDir, ...result })}\n`);
    return 0;
  }
  io.stdout.write(
    `Encrypted ${dataDir} (${result.blobCount} stored files); its key is kept in the ${result.keySource}.\n` +
      `The plain folder was moved to ${result.previousDataDir}: delete it (securely) once the app opens the encrypted one.\n` +
      'Run `neurosphere encryption status` now to see the recovery key, and write it down.\n',
  );
  return 0;
}

/** `neurosphere encryption status`: ciphers, where the key is, the recovery key until confirmed. */
export async function runEncryptionStatus(command: Status, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  // A plain folder is reported, never converted: only a new folder is created encrypted.
  const encryption = isEncryptedDataDir(dataDir)
    ? await resolveDataDirEncryption({ dataDir, env: io.env })
    : null;
  if (command.confirmRecoveryKey) encryption?.confirmRecoveryKey();
  const status = encryptionStatus(encryption);
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ dataDir, ...status }, null, 2)}\n`);
    return 0;
  }
  if (!status.enabled) {
    io.stdout.write(
      `${dataDir} is not encrypted at rest (it was created before encryption, or with NEUROSPHERE_ENCRYPTION=off).\n`,
    );
    return 0;
  }
  io.stdout.write(
    `${dataDir} is encrypted at rest.\n` +
      `  database: ${status.database}\n  files:    ${status.blobs}\n  key:      ${status.keySource}\n`,
  );
  if (status.recoveryKey !== null) {
    io.stdout.write(
      `\nRecovery key (write it down and keep it away from this computer; it is shown until you confirm):\n\n  ${status.recoveryKey}\n\n` +
        'Then run `neurosphere encryption status --confirm-recovery-key` (or confirm it in the app).\n',
    );
  } else {
    io.stdout.write('  recovery key: confirmed as written down by an admin.\n');
  }
  return 0;
}

/** `echo KEY | neurosphere encryption recover`: a new keychain entry from the recovery key. */
export async function runEncryptionRecover(command: Recover, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  const typed = await readStdin(io.stdin, 4096);
  const encryption = await recoverDataDir({ dataDir, env: io.env, recoveryKey: typed });
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ dataDir, keySource: encryption.keySource })}\n`);
  } else {
    io.stdout.write(
      `Recovered ${dataDir}: its data key is now kept in the ${encryption.keySource}. The recovery key stays valid; keep it safe.\n`,
    );
  }
  return 0;
}
