import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { keychainAccount, type Keychain } from '../audit/audit-key-store.js';

/** The keychain service under which destination passwords and tokens are kept. */
export const DESTINATIONS_KEYCHAIN_SERVICE = 'Neurosphere destinations';
/** Set to keep destination secrets in this 0600 file instead of the OS keychain. */
export const DESTINATION_SECRETS_FILE_ENV = 'NEUROSPHERE_DESTINATION_SECRETS_FILE';

/** Passwords and tokens of sync destinations, by destination id; never in the database. */
export interface DestinationSecrets {
  get(destinationId: string): Promise<string | null>;
  set(destinationId: string, secret: string): Promise<void>;
  remove(destinationId: string): Promise<void>;
}

/** A JSON map { destinationId: secret } in a 0600 file, written atomically. */
function fileSecrets(path: string): DestinationSecrets {
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>): void => {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(all));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  };
  return {
    get: (id) => Promise.resolve(read()[id] ?? null),
    set(id, secret) {
      write({ ...read(), [id]: secret });
      return Promise.resolve();
    },
    remove(id) {
      const { [id]: _gone, ...rest } = read();
      write(rest);
      return Promise.resolve();
    },
  };
}

type KeytarModule = Keychain & {
  deletePassword(service: string, account: string): Promise<boolean>;
};

async function loadKeytar(): Promise<KeytarModule | null> {
  try {
    const loaded = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
    return loaded.default ?? loaded;
  } catch {
    return null;
  }
}

/**
 * Destination secrets in the OS keychain (keytar, service "Neurosphere destinations", account
 * `<data folder>#<destination id>`), or in a 0600 file: the file named by
 * NEUROSPHERE_DESTINATION_SECRETS_FILE when set, else `<data>/destination-secrets.json` when the
 * keychain cannot be loaded or used (a server without a Secret Service). Like the data-key store,
 * the file is the explicit fallback for machines without a usable keychain (docs/hub-sync.md).
 */
export function openDestinationSecrets(options: { dataDir: string }): DestinationSecrets {
  const configured = process.env[DESTINATION_SECRETS_FILE_ENV];
  const fallback = fileSecrets(
    configured !== undefined && configured !== ''
      ? configured
      : join(options.dataDir, 'destination-secrets.json'),
  );
  if (configured !== undefined && configured !== '') return fallback;
  const account = (id: string): string => `${keychainAccount(options.dataDir)}#${id}`;
  let keytar: Promise<KeytarModule | null> | null = null;
  /** The keychain, or the file when it cannot be loaded or answers with an error. */
  async function use<T>(
    viaKeychain: (k: KeytarModule) => Promise<T>,
    viaFile: () => Promise<T>,
  ): Promise<T> {
    keytar ??= loadKeytar();
    const k = await keytar;
    if (k === null) return viaFile();
    try {
      return await viaKeychain(k);
    } catch {
      keytar = Promise.resolve(null);
      return viaFile();
    }
  }
  return {
    get: (id) =>
      use(
        async (k) =>
          (await k.getPassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id))) ?? fallback.get(id),
        () => fallback.get(id),
      ),
    set: (id, secret) =>
      use(
        (k) => k.setPassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id), secret),
        () => fallback.set(id, secret),
      ),
    remove: (id) =>
      use(
        async (k) => {
          await k.deletePassword(DESTINATIONS_KEYCHAIN_SERVICE, account(id));
          await fallback.remove(id);
        },
        () => fallback.remove(id),
      ),
  };
}
