import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { keychainAccount } from '../audit/audit-key-store.js';

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

const KEYCHAIN_TIMEOUT_MS = 20_000;

interface SecretKeychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s; is it locked?`)),
      KEYCHAIN_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const unavailable = (error: unknown): AppError =>
  new AppError(
    'PROVIDER_UNAVAILABLE',
    `The OS keychain holding destination passwords is unavailable (${error instanceof Error ? error.message : String(error)}). ` +
      `Unlock or start the keychain (on Linux: a Secret Service such as gnome-keyring in a D-Bus session), ` +
      `or set ${DESTINATION_SECRETS_FILE_ENV}=/path/outside/the/data/folder to keep them in a file readable only by you.`,
  );

async function loadKeytar(): Promise<SecretKeychain> {
  try {
    const loaded = (await import('keytar')) as SecretKeychain & { default?: SecretKeychain };
    return loaded.default ?? loaded;
  } catch (error) {
    throw unavailable(error);
  }
}

function keychainSecrets(dataDir: string, keychain?: SecretKeychain): DestinationSecrets {
  let loaded: Promise<SecretKeychain> | null = keychain ? Promise.resolve(keychain) : null;
  const lib = (): Promise<SecretKeychain> => (loaded ??= loadKeytar());
  const account = (id: string): string => `${keychainAccount(dataDir)}#${id}`;
  const call = async <T>(work: (k: SecretKeychain) => Promise<T>): Promise<T> => {
    const k = await lib();
    try {
      return await withinTimeout(work(k));
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
  const rel = relative(resolve(dataDir), path);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
    throw new AppError(
      'INVALID_INPUT',
      `${DESTINATION_SECRETS_FILE_ENV} points inside the data folder (${path}): keep destination passwords outside it, so a copy of the data folder does not carry them.`,
    );
  function read(): Record<string, string> {
    if (!existsSync(path)) return {};
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0)
      throw new AppError(
        'PERMISSION_DENIED',
        `The destination secrets file ${path} can be read by other users (mode ${mode.toString(8)}): run chmod 600 ${path}.`,
      );
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
