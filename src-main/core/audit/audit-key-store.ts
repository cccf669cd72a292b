import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
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
import { AUDIT_KEY_BYTES, type AuditKey } from './audit-key.js';

/** The keychain entry: one key per data folder, named by the folder's absolute path. */
export const KEYCHAIN_SERVICE = 'Neurosphere audit key';
/** The explicit setting for machines without a usable OS keychain (docs/audit.md). */
export const KEY_FILE_ENV = 'NEUROSPHERE_AUDIT_KEY_FILE';

/** Kept here too: other modules import the keychain helpers from the audit key store. */
export { keychainAccount, type Keychain } from '../platform/keychain.js';

function decodeKey(text: string, where: string): Buffer {
  const bytes = Buffer.from(text.trim(), 'hex');
  if (bytes.length !== AUDIT_KEY_BYTES || !/^[0-9a-f]+$/i.test(text.trim())) {
    throw new AppError(
      'INVALID_INPUT',
      `The audit key in ${where} is not ${AUDIT_KEY_BYTES} bytes of hex: restore the original key; a new key cannot verify the existing log.`,
    );
  }
  return bytes;
}

/** The fallback: a 0600 file outside the data folder, created with a new key if missing. */
export function auditKeyFromFile(file: string, dataDir: string): AuditKey {
  const path = resolve(file);
  if (isInsideFolder(resolve(dataDir), path)) {
    throw new AppError(
      'INVALID_INPUT',
      `${KEY_FILE_ENV} points inside the data folder (${path}): keep the audit key outside it, so a copy of the data folder does not carry its own key.`,
    );
  }
  if (!existsSync(path)) {
    const bytes = randomBytes(AUDIT_KEY_BYTES);
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      throw new AppError(
        'INVALID_INPUT',
        `Cannot create the audit key file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): create its folder or choose another path with ${KEY_FILE_ENV}.`,
      );
    }
    try {
      writeSync(fd, `${bytes.toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
    return { bytes, isNew: true, source: `key file ${path}` };
  }
  assertOwnerOnlyFile(path, 'audit key');
  return {
    bytes: decodeKey(readFileSync(path, 'utf8'), path),
    isNew: false,
    source: `key file ${path}`,
  };
}

export async function auditKeyFromKeychain(keychain: Keychain, dataDir: string): Promise<AuditKey> {
  const account = keychainAccount(dataDir);
  const unavailable = (error: unknown): AppError =>
    new AppError(
      'PROVIDER_UNAVAILABLE',
      `The OS keychain holding the audit key is unavailable (${error instanceof Error ? error.message : String(error)}). ` +
        `Unlock or start the keychain (on Linux: a Secret Service such as gnome-keyring in a D-Bus session), ` +
        `or set ${KEY_FILE_ENV}=/path/outside/the/data/folder to keep the key in a file readable only by you.`,
    );
  let stored: string | null;
  try {
    stored = await withinKeychainTimeout(keychain.getPassword(KEYCHAIN_SERVICE, account));
  } catch (error) {
    throw unavailable(error);
  }
  if (stored !== null) {
    return { bytes: decodeKey(stored, 'the OS keychain'), isNew: false, source: 'OS keychain' };
  }
  const bytes = randomBytes(AUDIT_KEY_BYTES);
  try {
    await withinKeychainTimeout(
      keychain.setPassword(KEYCHAIN_SERVICE, account, bytes.toString('hex')),
    );
  } catch (error) {
    throw unavailable(error);
  }
  return { bytes, isNew: true, source: 'OS keychain' };
}

function keytarUnavailable(error: unknown): AppError {
  return new AppError(
    'PROVIDER_UNAVAILABLE',
    `The OS keychain library (keytar) could not be loaded (${error instanceof Error ? error.message : String(error)}): install libsecret, or set ${KEY_FILE_ENV}.`,
  );
}

/**
 * The audit key of a data folder: from the key file when NEUROSPHERE_AUDIT_KEY_FILE says so,
 * otherwise from the OS keychain (created there on first use). Never falls back silently: an
 * unavailable keychain is an error that names the way out.
 */
export async function resolveAuditKey(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  keychain?: Keychain;
}): Promise<AuditKey> {
  const file = options.env[KEY_FILE_ENV];
  if (file !== undefined && file !== '') return auditKeyFromFile(file, options.dataDir);
  return auditKeyFromKeychain(
    options.keychain ?? (await loadKeytar(keytarUnavailable)),
    options.dataDir,
  );
}
