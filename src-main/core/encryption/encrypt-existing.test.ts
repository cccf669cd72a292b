import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KDF } from '../auth/password-hasher.js';
import { createCore, type Core } from '../core.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';
import { resolveDataDirEncryption, type DataDirEncryption } from './data-dir-encryption.js';
import { encryptExistingDataDir } from './encrypt-existing.js';
import { fileWrappingKeyStore, DATA_KEY_FILE_ENV } from './wrapping-key-store.js';

const FAMILY = 'Plumbivox';
const ADMIN = { username: 'admin', password: 'correct horse battery' };

function filesContaining(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => needles.some((needle) => readFileSync(file).includes(needle)));
}

async function call<T>(core: Core, method: string, input: unknown, token?: string): Promise<T> {
  const result = await core.router.call(method, input, { transport: 'test', token });
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('encrypting an existing plain data folder', () => {
  let root: string;
  let dataDir: string;
  let modelsDir: string;
  const open = (encryption: DataDirEncryption | null) =>
    createCore({
      dataDir,
      auditKey: TEST_AUDIT_KEY,
      encryption,
      kdf: TEST_KDF,
      runJobs: true,
      modelsDir,
      imagingWorkers: 1,
    });

  beforeAll(() => {
    root = makeTempDir('neurosphere-encrypt-existing-');
    dataDir = join(root, 'data');
    modelsDir = join(root, 'models');
    mkdirSync(modelsDir);
  });
  afterAll(() => removeTempDir(root));

  it('builds an encrypted copy, swaps it in, and keeps every scan readable', async () => {
    const plain = open(null);
    try {
      const { token } = await call<{ token: string }>(plain, 'auth.setup', ADMIN);
      const paths = writeDicomSeries(join(root, 'input'), 3, { patientName: `${FAMILY}^Old` });
      const job = await call<{ id: string }>(plain, 'import.files', { paths }, token);
      expect((await plain.jobs.whenFinished(job.id)).status).toBe('completed');
    } finally {
      await plain.close();
    }
    expect(filesContaining(dataDir, FAMILY).length).toBeGreaterThan(0);

    const keyFile = join(root, 'data.key');
    const result = await encryptExistingDataDir({
      dataDir,
      store: fileWrappingKeyStore(keyFile, dataDir),
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    expect(result.blobCount).toBe(3);
    expect(result.warnings).toEqual([]);
    expect(existsSync(result.previousDataDir)).toBe(true);
    expect(filesContaining(dataDir, FAMILY)).toEqual([]);
    await expect(
      encryptExistingDataDir({
        dataDir,
        store: fileWrappingKeyStore(keyFile, dataDir),
        now: () => new Date(),
      }),
    ).rejects.toThrow(/already encrypted/);

    const encryption = await resolveDataDirEncryption({
      dataDir,
      env: { [DATA_KEY_FILE_ENV]: keyFile },
    });
    expect(encryption?.pendingRecoveryKey()).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
    const core = open(encryption);
    try {
      const { token } = await call<{ token: string }>(core, 'auth.login', ADMIN);
      const scans = await call<{ items: { id: string }[] }>(core, 'scans.list', {}, token);
      expect(scans.items).toHaveLength(1);
      expect((await core.frames.getFrame(scans.items[0]!.id, 2)).info.rows).toBeGreaterThan(0);
      expect(core.audit.verify().ok).toBe(true);
    } finally {
      await core.close();
    }
  });
});
