import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import {
  assertOwnerOnlyFile,
  isInsideFolder,
  keychainAccount,
  loadKeytar,
  withinKeychainTimeout,
  type Keychain,
} from '../platform/keychain.js';

/** The keychain entry holding a data folder's wrapping key, named by the folder's real path. */
export const DATA_KEYCHAIN_SERVICE = 'Neurosphere data key';
/** The explicit setting for machines without a usable OS keychain (docs/encryption.md). */
export const DATA_KEY_FILE_ENV = 'NEUROSPHERE_DATA_KEY_FILE';
const WRAPPING_KEY_BYTES = 32;

/** Where a wrapping key is kept; `read` answers null when nothing is stored there (key lost). */
export interface WrappingKeyStore {
  readonly source: string;
  read(): Promise<Buffer | null>;
  /** Stores a new key, replacing any there (a new data folder, or a recovery). */
  write(key: Buffer): Promise<void>;
}

export function newWrappingKey(): Buffer {
  return randomBytes(WRAPPING_KEY_BYTES);
}

function decode(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(trimmed)) {
    throw new AppError(
      'INVALID_INPUT',
      `The data key in ${where} is not ${WRAPPING_KEY_BYTES} bytes of hex. Restore the original, or run \`neurosphere encryption recover\` with the recovery key.`,
    );
  }
  return Buffer.from(trimmed, 'hex');
}

function keychainUnavailable(error: unknown): AppError {
  return new AppError(
    'PROVIDER_UNAVAILABLE',
    `The OS keychain holding the key of the encrypted data folder is unavailable (${error instanceof Error ? error.message : String(error)}). ` +
      'Unlock or start the keychain (on Linux: a Secret Service such as gnome-keyring in a D-Bus session), ' +
      `or set ${DATA_KEY_FILE_ENV}=/path/outside/the/data/folder and run \`neurosphere encryption recover\` once with the recovery key to keep the key in that file.`,
  );
}

export function keychainWrappingKeyStore(keychain: Keychain, dataDir: string): WrappingKeyStore {
  const account = keychainAccount(dataDir);
  return {
    source: 'OS keychain',
    async read() {
      let stored: string | null;
      try {
        stored = await withinKeychainTimeout(keychain.getPassword(DATA_KEYCHAIN_SERVICE, account));
      } catch (error) {
        throw keychainUnavailable(error);
      }
      return stored === null ? null : decode(stored, 'the OS keychain');
    },
    async write(key) {
      try {
        await withinKeychainTimeout(
          keychain.setPassword(DATA_KEYCHAIN_SERVICE, account, key.toString('hex')),
        );
      } catch (error) {
        throw keychainUnavailable(error);
      }
    },
  };
}

/** The fallback: a 0600 file outside the data folder. */
export function fileWrappingKeyStore(file: string, dataDir: string): WrappingKeyStore {
  const path = resolve(file);
  if (isInsideFolder(resolve(dataDir), path)) {
    throw new AppError(
      'INVALID_INPUT',
      `${DATA_KEY_FILE_ENV} points inside the data folder (${path}): keep the key outside it, so a copy of the data folder does not carry its own key.`,
    );
  }
  return {
    source: `key file ${path}`,
    read() {
      if (!existsSync(path)) return Promise.resolve(null);
      assertOwnerOnlyFile(path, 'data key');
      return Promise.resolve(decode(readFileSync(path, 'utf8'), path));
    },
    write(key) {
      const temp = `${path}.${process.pid}.tmp`;
      let fd: number;
      try {
        fd = openSync(temp, 'w', 0o600);
      } catch (error) {
        throw new AppError(
          'INVALID_INPUT',
          `Cannot create the data key file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): create its folder or choose another path with ${DATA_KEY_FILE_ENV}.`,
        );
      }
      try {
        writeSync(fd, `${key.toString('hex')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
      return Promise.resolve();
    },
  };
}

/** NEUROSPHERE_DATA_KEY_FILE when set, else the OS keychain. */
export async function wrappingKeyStoreFor(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  keychain?: Keychain;
}): Promise<WrappingKeyStore> {
  const file = options.env[DATA_KEY_FILE_ENV];
  if (file !== undefined && file !== '') return fileWrappingKeyStore(file, options.dataDir);
  return keychainWrappingKeyStore(
    options.keychain ?? (await loadKeytar(keychainUnavailable)),
    options.dataDir,
  );
}
