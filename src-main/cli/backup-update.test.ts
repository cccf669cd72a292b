import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-cli-backup-'));
  dataDir = join(root, 'data');
  writeDicomSeries(join(root, 'incoming'), 3, { patientId: 'NS-BK-1', patientName: 'Doe^Jane' });
  const run = await runCliProcess(['import', join(root, 'incoming'), '--data-dir', dataDir]);
  expect(run.code, run.stderr).toBe(0);
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const scanCount = async (dir: string): Promise<number> => {
  const run = await runCliProcess(['scans', 'list', '--json', '--data-dir', dir]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { total: number }).total;
};

describe('neurosphere backup and restore', () => {
  it('backs up, and restores into another data folder that then lists the same scans', async () => {
    const backupDir = join(root, 'backup-1');
    const backup = await runCliProcess(['backup', backupDir, '--data-dir', dataDir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backed up .* the database and 3 stored files/);
    expect(backup.stderr).toContain('backup: manifest');

    const restoredDir = join(root, 'restored');
    const restore = await runCliProcess(['restore', backupDir, '--data-dir', restoredDir]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/Restored the backup of .* \(4 files, all verified\)/);
    expect(await scanCount(restoredDir)).toBe(await scanCount(dataDir));
  }, 60_000);

  it('refuses a damaged backup with exit status 1 and leaves the data folder as it was', async () => {
    const backupDir = join(root, 'backup-2');
    expect((await runCliProcess(['backup', backupDir, '--data-dir', dataDir])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as {
      files: { path: string }[];
    };
    const blob = join(backupDir, manifest.files.find((f) => f.path.startsWith('blobs/'))!.path);
    const bytes = readFileSync(blob);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(blob, bytes);
    const before = await scanCount(dataDir);
    const run = await runCliProcess(['restore', backupDir, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not match its sha256 in the manifest.*Nothing was replaced/);
    expect(await scanCount(dataDir)).toBe(before);
  }, 60_000);

  it('says what is missing on the command line', async () => {
    const run = await runCliProcess(['backup']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backup needs the folder to back up into.');
  });
});

describe('neurosphere update', () => {
  it('refuses a bundle not signed with the release key, and a folder that is no bundle', async () => {
    const keyPath = join(root, 'someone-else.pem');
    writeFileSync(
      keyPath,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const installer = join(root, 'Neurosphere-99.0.0.AppImage');
    writeFileSync(installer, 'not really an AppImage');
    const bundle = join(root, 'bundle');
    const pack = await runCliProcess([
      'update',
      'pack',
      installer,
      '--key',
      keyPath,
      '--out',
      bundle,
      '--release',
      '99.0.0',
    ]);
    expect(pack.code, pack.stderr).toBe(0);
    expect(pack.stdout).toContain('Wrote the signed bundle for Neurosphere 99.0.0');

    const verify = await runCliProcess(['update', 'verify', bundle]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('Update refused: its signature is not valid');
    const apply = await runCliProcess(['update', 'apply', bundle, '--data-dir', dataDir]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Nothing was installed.');

    const notABundle = await runCliProcess(['update', 'verify', join(root, 'incoming')]);
    expect(notABundle.code).toBe(1);
    expect(notABundle.stderr).toContain('is not a Neurosphere update bundle');
  }, 60_000);
});
