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

/**
 * Passwords and tokens of sync destinations (a PACS's DICOMweb, a hub): never in the settings
 * (plain JSON in the database), but in the OS keychain, one entry per data folder and
 * destination; or, on a machine without a keychain, in the file NEUROSPHERE_DESTINATION_SECRETS_FILE
 * names (0600, outside the data folder), as for the audit and data keys.
 */
export interface DestinationSecrets {
  get(destinationId: string): Promise<string | null>;
  set(destinationId: string, secret: string): Promise<void>;
  remove(destinationId: string): Promise<void>;
}

export const DESTINATIONS_KEYCHAIN_SERVICE = 'Neurosphere destinations';
export const DESTINATION_SECRETS_FILE_ENV = 'NEUROSPHERE_DESTINATION_SECRETS_FILE';

/** keytar with `deletePassword`, which the audit and data keys never need. */
interface SecretKeychain extends Keychain {
  deletePassword(service: string, account: string): Promise<boolean>;
}

const unavailable = (error: unknown): AppError =>
  new AppError(
    'PROVIDER_UNAVAILABLE',
    `The OS keychain holding destination passwords is unavailable (${error instanceof Error ? error.message : String(error)}). ` +
      `Unlock or start the keychain (on Linux: a Secret Service such as gnome-keyring in a D-Bus session), ` +
      `or set ${DESTINATION_SECRETS_FILE_ENV}=/path/outside/the/data/folder to keep them in a file readable only by you.`,
  );

function keychainSecrets(dataDir: string, keychain?: SecretKeychain): DestinationSecrets {
  let loaded: Promise<SecretKeychain> | null = keychain ? Promise.resolve(keychain) : null;
  const lib = (): Promise<SecretKeychain> =>
    (loaded ??= loadKeytar(unavailable) as Promise<SecretKeychain>);
  const account = (id: string): string => `${keychainAccount(dataDir)}#${id}`;
  const call = async <T>(work: (k: SecretKeychain) => Promise<T>): Promise<T> => {
    const k = await lib();
    try {
      return await withinKeychainTimeout(work(k));
    } catch (error) {
      throw unavailable(error);
    }
  };
  return {
    get: (id) => call((k) => k.getPassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id))),
    set: (id, secret) =>
      call((k) => k.setPassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id), secret)),
    remove: async (id) => {
      await call((k) => k.deletePassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id)));
    },
  };
}

function fileSecrets(file: string, dataDir: string): DestinationSecrets {
  const path = resolve(file);
  if (isInsideFolder(resolve(dataDir), path))
    throw new AppError(
      'INVALID_INPUT',
      `${DESTINATION_SECRETS_FILE_ENV} points inside the data folder (${path}): keep destination passwords outside it, so a copy of the data folder does not carry them.`,
    );
  function read(): Record<string, string> {
    if (!existsSync(path)) return {};
    assertOwnerOnlyFile(path, 'destination secrets');
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      throw new AppError(
        'INVALID_INPUT',
        `The destination secrets file ${path} is not valid JSON: restore it or delete it and enter the passwords again.`,
      );
    }
  }
  function write(all: Record<string, string>): void {
    // Temp file (0600) + fsync + rename: a crash leaves the old file or the new one, whole.
    const temp = `${path}.${process.pid}.tmp`;
    let fd: number;
    try {
      fd = openSync(temp, 'w', 0o600);
    } catch (error) {
      throw new AppError(
        'INVALID_INPUT',
        `Cannot write the destination secrets file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): create its folder or choose another path with ${DESTINATION_SECRETS_FILE_ENV}.`,
      );
    }
    try {
      writeSync(fd, `${JSON.stringify(all)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  }
  const key = (id: string): string => `${resolve(dataDir)}#${id}`;
  return {
    get: async (id) => read()[key(id)] ?? null,
    set: async (id, secret) => write({ ...read(), [key(id)]: secret }),
    remove: async (id) => {
      const all = read();
      if (!(key(id) in all)) return;
      delete all[key(id)];
      write(all);
    },
  };
}

/**
 * The destination secrets of a data folder: the file NEUROSPHERE_DESTINATION_SECRETS_FILE names
 * when set, otherwise the OS keychain (keytar, service "Neurosphere destinations"). Never falls
 * back silently: an unavailable keychain is an error that names the way out.
 */
export function openDestinationSecrets(options: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  keychain?: SecretKeychain;
}): DestinationSecrets {
  const file = (options.env ?? process.env)[DESTINATION_SECRETS_FILE_ENV];
  if (file !== undefined && file !== '') return fileSecrets(file, options.dataDir);
  return keychainSecrets(options.dataDir, options.keychain);
}
