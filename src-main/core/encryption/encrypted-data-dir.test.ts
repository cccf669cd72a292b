import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KDF } from '../auth/password-hasher.js';
import { keychainAccount } from '../audit/audit-key-store.js';
import { createBackup } from '../backup/create-backup.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { createCore, type Core } from '../core.js';
import { openDatabase } from '../db/connection.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';
import {
  recoverDataDir,
  resolveDataDirEncryption,
  type DataDirEncryption,
} from './data-dir-encryption.js';
import { ENCRYPTION_FILE } from './encryption-file.js';
import { DATA_KEYCHAIN_SERVICE, DATA_KEY_FILE_ENV } from './wrapping-key-store.js';

// A name and an id nothing else in a data folder could contain by chance.
const FAMILY = 'Zyxwquartz';
const PATIENT_NAME = `${FAMILY}^Encryptiona`;
const PATIENT_ID = 'ZQ-4471-ENC';
const ADMIN = { username: 'admin', password: 'correct horse battery' };

/** Every file under `dir`, recursively. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The files holding `text` as Latin-1/UTF-8, UTF-16LE or UTF-16BE bytes. */
function filesContaining(dir: string, text: string): string[] {
  const needles = [
    Buffer.from(text, 'latin1'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(text, 'utf16le').swap16(),
    Buffer.from(text.toUpperCase(), 'latin1'),
  ];
  return allFiles(dir).filter((file) => {
    const bytes = readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
}

async function call<T>(core: Core, method: string, input: unknown, token?: string): Promise<T> {
  const result = await core.router.call(method, input, { transport: 'test', token });
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

function openCore(dataDir: string, encryption: DataDirEncryption | null, modelsDir: string): Core {
  // The real file logger: a log under the data folder is one of the files checked.
  return createCore({
    dataDir,
    auditKey: TEST_AUDIT_KEY,
    encryption,
    kdf: TEST_KDF,
    runJobs: true,
    modelsDir,
    imagingWorkers: 1,
  });
}

/** The env of a shell that never saw NEUROSPHERE_ENCRYPTION=off (the suites' global setup sets it). */
const ON: NodeJS.ProcessEnv = {};

describe('encryption at rest of a data folder', () => {
  let root: string;
  let dataDir: string;
  let modelsDir: string;
  let dicomPaths: string[];
  let recoveryKey: string;

  beforeAll(() => {
    root = makeTempDir('neurosphere-encrypted-');
    dataDir = join(root, 'data');
    modelsDir = join(root, 'models');
    mkdirSync(modelsDir);
    dicomPaths = writeDicomSeries(join(root, 'input'), 3, {
      patientName: PATIENT_NAME,
      patientId: PATIENT_ID,
    });
  });

  afterAll(async () => {
    const keytar = createRequire(import.meta.url)('keytar') as {
      deletePassword(s: string, a: string): Promise<boolean>;
    };
    await keytar.deletePassword(DATA_KEYCHAIN_SERVICE, keychainAccount(dataDir)).catch(() => false);
    removeTempDir(root);
  });

  it('imports a DICOM study, serves it back, and leaves no readable patient name in any file', async () => {
    const encryption = await resolveDataDirEncryption({ dataDir, env: ON });
    expect(encryption?.keySource).toBe('OS keychain');
    const core = openCore(dataDir, encryption, modelsDir);
    try {
      expect(core.health().encryption).toEqual({ enabled: true });
      expect(core.blobs.isEncrypted).toBe(true);
      const { token } = await call<{ token: string }>(core, 'auth.setup', ADMIN);
      const status = await call<{ enabled: boolean; recoveryKey: string | null }>(
        core,
        'encryption.status',
        {},
        token,
      );
      expect(status.enabled).toBe(true);
      expect(status.recoveryKey).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
      recoveryKey = status.recoveryKey!;

      const job = await call<{ id: string }>(core, 'import.files', { paths: dicomPaths }, token);
      expect((await core.jobs.whenFinished(job.id)).status).toBe('completed');
      const { scanIds } = await call<{ scanIds: string[] }>(
        core,
        'import.report',
        { id: job.id },
        token,
      );
      const scanId = scanIds[0]!;
      // Read through the store: frames (imaging workers), DICOM tags (a range), the header check.
      const frame = await core.frames.getFrame(scanId, 1);
      expect(frame.info.rows).toBeGreaterThan(0);
      const tags = await call<{ tags: { keyword: string; value: string }[] }>(
        core,
        'scans.tags',
        { scanId, frame: 0 },
        token,
      );
      expect(JSON.stringify(tags)).toContain(FAMILY);
      const patients = await call<{ items: { name: string }[] }>(core, 'patients.list', {}, token);
      expect(JSON.stringify(patients)).toContain(FAMILY);

      // A backup of it stays encrypted, and carries the wrapped key.
      const backup = await createBackup({
        dataDir,
        targetDir: join(root, 'backup'),
        appVersion: 'test',
        now: () => new Date(),
        keys: encryption!.keys,
      });
      expect(backup.warnings).toEqual([]);
      expect(backup.manifest.files.map((f) => f.path)).toContain(ENCRYPTION_FILE);
      expect(filesContaining(join(root, 'backup'), FAMILY)).toEqual([]);
    } finally {
      await core.close();
    }

    expect(allFiles(dataDir).length).toBeGreaterThan(4);
    expect(filesContaining(dataDir, FAMILY)).toEqual([]);
    expect(filesContaining(dataDir, PATIENT_ID)).toEqual([]);
    // Blob files are not named by their content's sha256 either (it would tell which file it is).
    const names = new Set(allFiles(join(dataDir, 'blobs')).map((f) => f.split('/').pop()));
    for (const path of dicomPaths) {
      expect(names.has(createHash('sha256').update(readFileSync(path)).digest('hex'))).toBe(false);
    }
    // The plain SQLite driver cannot read the database.
    expect(() => openDatabase(join(dataDir, 'neurosphere.db'))).toThrow(/encrypted/);

    // Opened again with its key from the keychain, everything is there.
    const again = openCore(
      dataDir,
      await resolveDataDirEncryption({ dataDir, env: ON }),
      modelsDir,
    );
    try {
      const { token } = await call<{ token: string }>(again, 'auth.login', ADMIN);
      const scans = await call<{ items: { id: string }[] }>(again, 'scans.list', {}, token);
      expect(scans.items).toHaveLength(1);
      expect((await again.frames.getFrame(scans.items[0]!.id, 2)).info.rows).toBeGreaterThan(0);
    } finally {
      await again.close();
    }
  });

  it('refuses to open without its key or with another one, saying what to do', async () => {
    expect(() => openCore(dataDir, null, modelsDir)).toThrow(/is encrypted/);
    const lostFile = join(root, 'no-such.key');
    await expect(
      resolveDataDirEncryption({ dataDir, env: { [DATA_KEY_FILE_ENV]: lostFile } }),
    ).rejects.toThrow(/its key is not in the key file.*neurosphere encryption recover/s);
    const otherKey = join(root, 'other.key');
    writeFileSync(otherKey, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    await expect(
      resolveDataDirEncryption({ dataDir, env: { [DATA_KEY_FILE_ENV]: otherKey } }),
    ).rejects.toThrow(/does not unlock the encrypted data folder/);
    expect(() => openDatabase(join(dataDir, 'neurosphere.db'), { key: randomBytes(32) })).toThrow(
      /key does not open/,
    );
  });

  it('shows the recovery key until it is confirmed, and recovers a lost keychain with it', async () => {
    const encryption = await resolveDataDirEncryption({ dataDir, env: ON });
    expect(encryption!.pendingRecoveryKey()).toBe(recoveryKey);
    encryption!.confirmRecoveryKey();
    expect(encryption!.pendingRecoveryKey()).toBeNull();
    expect(readFileSync(join(dataDir, ENCRYPTION_FILE), 'utf8')).not.toContain(recoveryKey);

    // The keychain is lost.
    const keytar = createRequire(import.meta.url)('keytar') as {
      deletePassword(s: string, a: string): Promise<boolean>;
    };
    expect(await keytar.deletePassword(DATA_KEYCHAIN_SERVICE, keychainAccount(dataDir))).toBe(true);
    await expect(resolveDataDirEncryption({ dataDir, env: ON })).rejects.toThrow(
      /not in the OS keychain.*encryption recover/s,
    );
    const wrong = recoveryKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(recoverDataDir({ dataDir, env: ON, recoveryKey: wrong })).rejects.toThrow(
      /This recovery key does not unlock/,
    );
    await expect(recoverDataDir({ dataDir, env: ON, recoveryKey: 'ABCD-EFGH' })).rejects.toThrow(
      /52 characters/,
    );
    // Typed in lower case with spaces: accepted.
    const recovered = await recoverDataDir({
      dataDir,
      env: ON,
      recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' '),
    });
    expect(recovered.keySource).toBe('OS keychain');
    const core = openCore(dataDir, await resolveDataDirEncryption({ dataDir, env: ON }), modelsDir);
    try {
      const { token } = await call<{ token: string }>(core, 'auth.login', ADMIN);
      expect((await call<{ items: unknown[] }>(core, 'scans.list', {}, token)).items).toHaveLength(
        1,
      );
    } finally {
      await core.close();
    }
  });

  it('restores an encrypted backup, unlocked with the data folder key', async () => {
    const target = join(root, 'restored');
    const keyFile = join(root, 'restored.key');
    // A new machine: the recovery key puts the data key under a key file for the restored folder.
    await expect(
      restoreBackup({ backupDir: join(root, 'backup'), dataDir: target, now: () => new Date() }),
    ).rejects.toThrow(/encrypted data folder/);
    const result = await restoreBackup({
      backupDir: join(root, 'backup'),
      dataDir: target,
      now: () => new Date(),
      databaseKeyOf: async (folder) =>
        (
          await recoverDataDir({
            dataDir: folder,
            env: { [DATA_KEY_FILE_ENV]: keyFile },
            recoveryKey,
          })
        ).keys.databaseKey,
    });
    expect(result.fileCount).toBeGreaterThan(2);
    const encryption = await resolveDataDirEncryption({
      dataDir: target,
      env: { [DATA_KEY_FILE_ENV]: keyFile },
    });
    const core = openCore(target, encryption, modelsDir);
    try {
      const { token } = await call<{ token: string }>(core, 'auth.login', ADMIN);
      const scans = await call<{ items: { id: string }[] }>(core, 'scans.list', {}, token);
      expect((await core.frames.getFrame(scans.items[0]!.id, 0)).info.rows).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });

  it('keeps an existing plain folder plain, and NEUROSPHERE_ENCRYPTION=off creates plain ones', async () => {
    const plain = join(root, 'plain');
    expect(
      await resolveDataDirEncryption({ dataDir: plain, env: { NEUROSPHERE_ENCRYPTION: 'off' } }),
    ).toBeNull();
    const core = openCore(plain, null, modelsDir);
    expect(core.health().encryption).toEqual({ enabled: false });
    await core.close();
    // Encryption on by default afterwards does not touch a folder that already holds a database.
    expect(await resolveDataDirEncryption({ dataDir: plain, env: ON })).toBeNull();
    await expect(
      resolveDataDirEncryption({
        dataDir: join(root, 'x'),
        env: { NEUROSPHERE_ENCRYPTION: 'maybe' },
      }),
    ).rejects.toThrow(/on \(the default\) or off/);
  });
});
