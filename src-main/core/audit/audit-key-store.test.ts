import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import {
  KEY_FILE_ENV,
  KEYCHAIN_SERVICE,
  keychainAccount,
  resolveAuditKey,
  type Keychain,
} from './audit-key-store.js';

const keytar = createRequire(import.meta.url)('keytar') as Keychain & {
  deletePassword(service: string, account: string): Promise<boolean>;
};

describe('audit key in the OS keychain (gnome-keyring started by the test setup)', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir('neurosphere-key-');
  });
  afterEach(async () => {
    await keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccount(join(root, 'data')));
    removeTempDir(root);
  });

  it('creates a key on first use, then finds the same one', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const first = await resolveAuditKey({ dataDir, env: {} });
    expect(first).toMatchObject({ isNew: true, source: 'OS keychain' });
    expect(first.bytes).toHaveLength(32);
    const stored = await keytar.getPassword(KEYCHAIN_SERVICE, keychainAccount(dataDir));
    expect(stored).toBe(first.bytes.toString('hex'));
    const again = await resolveAuditKey({ dataDir, env: {} });
    expect(again.isNew).toBe(false);
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });

  it('says clearly what to do when the keychain is unavailable, and never goes unkeyed', async () => {
    const broken: Keychain = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('unreachable')),
    };
    await expect(
      resolveAuditKey({ dataDir: join(root, 'data'), env: {}, keychain: broken }),
    ).rejects.toThrow(
      /keychain holding the audit key is unavailable .*NEUROSPHERE_AUDIT_KEY_FILE/s,
    );
  });
});

describe('audit key file (the explicit fallback)', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir('neurosphere-keyfile-');
  });
  afterEach(() => removeTempDir(root));

  it('creates a 0600 key file outside the data folder and reads it back', async () => {
    const file = join(root, 'audit.key');
    const env = { [KEY_FILE_ENV]: file };
    const first = await resolveAuditKey({ dataDir: join(root, 'data'), env });
    expect(first).toMatchObject({ isNew: true, source: `key file ${file}` });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await resolveAuditKey({ dataDir: join(root, 'data'), env });
    expect(again.isNew).toBe(false);
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });

  it('refuses a key file others can read, one inside the data folder, and a damaged one', async () => {
    const file = join(root, 'audit.key');
    writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    const dataDir = join(root, 'data');
    await expect(resolveAuditKey({ dataDir, env: { [KEY_FILE_ENV]: file } })).rejects.toThrow(
      /can be read by other users .*chmod 600/,
    );
    await expect(
      resolveAuditKey({ dataDir, env: { [KEY_FILE_ENV]: join(dataDir, 'audit.key') } }),
    ).rejects.toThrow(/inside the data folder/);
    chmodSync(file, 0o600);
    writeFileSync(file, 'not a key');
    await expect(resolveAuditKey({ dataDir, env: { [KEY_FILE_ENV]: file } })).rejects.toThrow(
      /not 32 bytes of hex/,
    );
  });
});
