import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import type { Keychain } from '../audit/audit-key-store.js';
import { DATA_KEY_BYTES, deriveDataKeys, type DataKeys } from './data-keys.js';
import {
  BLOB_CIPHER,
  DATABASE_CIPHER,
  isEncryptedDataDir,
  readEncryptionFile,
  seal,
  unseal,
  writeEncryptionFile,
} from './encryption-file.js';
import { newRecoveryKey, parseRecoveryKey } from './recovery-key.js';
import {
  newWrappingKey,
  wrappingKeyStoreFor,
  type WrappingKeyStore,
} from './wrapping-key-store.js';

/** `off` keeps new data folders plain (the test suites, a site that decides against it). */
export const ENCRYPTION_ENV = 'NEUROSPHERE_ENCRYPTION';

const DATA_KEY_PURPOSE = 'data key';
const RECOVERY_PURPOSE = 'recovery key';

/** An unlocked encrypted data folder. */
export interface DataDirEncryption {
  readonly dataDir: string;
  readonly keys: DataKeys;
  /** Where the wrapping key is kept, for status and messages. */
  readonly keySource: string;
  /** The recovery key's text until the admin confirms it is written down; null afterwards. */
  pendingRecoveryKey(): string | null;
  confirmRecoveryKey(): void;
}

function unlocked(dataDir: string, dataKey: Buffer, keySource: string): DataDirEncryption {
  const keys = deriveDataKeys(dataKey);
  return {
    dataDir,
    keys,
    keySource,
    pendingRecoveryKey() {
      const pending = readEncryptionFile(dataDir).pendingRecoveryKey;
      if (pending === null) return null;
      return unseal(keys.pendingKey, pending, RECOVERY_PURPOSE)?.toString('utf8') ?? null;
    },
    confirmRecoveryKey() {
      const file = readEncryptionFile(dataDir);
      if (file.pendingRecoveryKey !== null)
        writeEncryptionFile(dataDir, { ...file, pendingRecoveryKey: null });
    },
  };
}

function recoverHint(dataDir: string): string {
  return `run \`neurosphere encryption recover --data-dir ${dataDir}\` and enter the recovery key the admin was shown when the folder was created`;
}

/** Opens an encrypted data folder with the wrapping key in `store`. */
export async function unlockDataDir(
  dataDir: string,
  store: WrappingKeyStore,
): Promise<DataDirEncryption> {
  const file = readEncryptionFile(dataDir);
  const wrappingKey = await store.read();
  if (wrappingKey === null) {
    throw new AppError(
      'PROVIDER_UNAVAILABLE',
      `The data folder ${dataDir} is encrypted, but its key is not in the ${store.source} (the keychain was reset, or the folder was moved to another machine or user). To open it, ${recoverHint(dataDir)}.`,
    );
  }
  const dataKey = unseal(wrappingKey, file.wrappedByKeychain, DATA_KEY_PURPOSE);
  if (dataKey === null) {
    throw new AppError(
      'PERMISSION_DENIED',
      `The key in the ${store.source} does not unlock the encrypted data folder ${dataDir} (it belongs to another folder, or was replaced). If the original key is lost, ${recoverHint(dataDir)}.`,
    );
  }
  return unlocked(dataDir, dataKey, store.source);
}

/** Makes `dataDir` an encrypted data folder: a new data key, wrapped by a new wrapping key and a recovery key. */
export async function initialiseEncryption(
  dataDir: string,
  store: WrappingKeyStore,
  now: () => Date = () => new Date(),
): Promise<DataDirEncryption> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const wrappingKey = newWrappingKey();
  const recovery = newRecoveryKey();
  const keys = deriveDataKeys(dataKey);
  // The keychain first: a folder whose key could not be stored must not be created.
  await store.write(wrappingKey);
  writeEncryptionFile(dataDir, {
    format: 'neurosphere-encryption',
    formatVersion: 1,
    createdAt: now().toISOString(),
    database: DATABASE_CIPHER,
    blobs: BLOB_CIPHER,
    wrappedByKeychain: seal(wrappingKey, dataKey, DATA_KEY_PURPOSE),
    wrappedByRecoveryKey: seal(recovery.bytes, dataKey, DATA_KEY_PURPOSE),
    pendingRecoveryKey: seal(keys.pendingKey, Buffer.from(recovery.text), RECOVERY_PURPOSE),
  });
  return unlocked(dataDir, dataKey, store.source);
}

function encryptionWanted(env: NodeJS.ProcessEnv): boolean {
  const value = (env[ENCRYPTION_ENV] ?? '').trim().toLowerCase();
  if (value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new AppError(
    'INVALID_INPUT',
    `${ENCRYPTION_ENV} is "${env[ENCRYPTION_ENV]}": set it to on (the default) or off.`,
  );
}

/**
 * The encryption of a data folder, for the shells: unlocked when the folder is encrypted; a new
 * folder is created encrypted unless NEUROSPHERE_ENCRYPTION=off; an existing plain folder stays
 * plain (null). Errors name the way out: unlock the keychain, the key file, or the recovery key.
 */
export async function resolveDataDirEncryption(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  keychain?: Keychain;
}): Promise<DataDirEncryption | null> {
  const { dataDir } = options;
  if (isEncryptedDataDir(dataDir))
    return unlockDataDir(dataDir, await wrappingKeyStoreFor(options));
  if (existsSync(join(dataDir, 'neurosphere.db'))) return null;
  if (!encryptionWanted(options.env)) return null;
  return initialiseEncryption(dataDir, await wrappingKeyStoreFor(options));
}

/**
 * The recovery path: the recovery key unwraps the data key, which is then wrapped by a new key
 * stored in the keychain (or NEUROSPHERE_DATA_KEY_FILE). The recovery key stays valid.
 */
export async function recoverDataDir(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  recoveryKey: string;
  keychain?: Keychain;
  /** The data folder the key is stored for, when `dataDir` is a copy on its way there (restore). */
  keyFor?: string;
}): Promise<DataDirEncryption> {
  const { dataDir } = options;
  if (!isEncryptedDataDir(dataDir)) {
    throw new AppError('NOT_FOUND', `${dataDir} is not an encrypted Neurosphere data folder.`);
  }
  const file = readEncryptionFile(dataDir);
  const dataKey = unseal(
    parseRecoveryKey(options.recoveryKey),
    file.wrappedByRecoveryKey,
    DATA_KEY_PURPOSE,
  );
  if (dataKey === null) {
    throw new AppError(
      'PERMISSION_DENIED',
      `This recovery key does not unlock ${dataDir}: check it character by character (it was shown once when the folder was created); nothing was changed.`,
    );
  }
  const store = await wrappingKeyStoreFor({ ...options, dataDir: options.keyFor ?? dataDir });
  const wrappingKey = newWrappingKey();
  await store.write(wrappingKey);
  writeEncryptionFile(dataDir, {
    ...file,
    wrappedByKeychain: seal(wrappingKey, dataKey, DATA_KEY_PURPOSE),
  });
  return unlocked(dataDir, dataKey, store.source);
}
