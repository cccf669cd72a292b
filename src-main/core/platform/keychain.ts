import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';

/**
 * What the key stores need of the OS keychain (keytar). Shared by every secret the app keeps
 * there (audit key, data key, destination credentials), so each store only says what it keeps.
 */
export interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
}

/** A locked keychain may wait for a password prompt nobody sees (serve on a server): give up. */
const KEYCHAIN_TIMEOUT_MS = 20_000;

export function withinKeychainTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s; is it locked?`)),
      KEYCHAIN_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** keytar, loaded on first use; `unavailable` turns a load failure into the caller's error. */
export async function loadKeytar(unavailable: (error: unknown) => AppError): Promise<Keychain> {
  try {
    const loaded = (await import('keytar')) as Keychain & { default?: Keychain };
    return loaded.default ?? loaded;
  } catch (error) {
    throw unavailable(error);
  }
}

/** The keychain account of a data folder: its real absolute path. */
export function keychainAccount(dataDir: string): string {
  const path = resolve(dataDir);
  return existsSync(path) ? realpathSync(path) : path;
}

export function isInsideFolder(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A key file others can read is refused, with the command that fixes it. */
export function assertOwnerOnlyFile(path: string, what: string): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'PERMISSION_DENIED',
      `The ${what} file ${path} can be read by other users (mode ${mode.toString(8)}): run chmod 600 ${path}.`,
    );
  }
}
