import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { sha256Of } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { BACKUP_MANIFEST, readBackupManifest } from './backup-manifest.js';
import { createBackup, type BackupResult } from './create-backup.js';
import { restoreBackup } from './restore-backup.js';

const now = (): Date => new Date('2026-12-02T17:00:00.000Z');

function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  return readdirSync(root)
    .filter((folder) => /^[0-9a-f]{2}$/.test(folder))
    .flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name)));
}

function countFiles(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('backup and restore', () => {
  let t: TestCore;
  let token: string;
  let dataDir: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    dataDir = join(t.root, 'data');
  });
  afterEach(() => t.dispose());

  const backup = (targetDir: string, signal?: AbortSignal): Promise<BackupResult> =>
    createBackup({
      dataDir,
      targetDir,
      appVersion: '0.1.0',
      now,
      ...(signal !== undefined && { signal }),
    });

  it('a backup taken during an import restores to a sound database with every blob intact', async () => {
    const first = join(t.inputDir, 'first');
    writeDicomSeries(first, 20, { rows: 64, columns: 64 });
    const done = await t.core.jobs.whenFinished(
      (await t.ok('import.files', { paths: [first] }, token)).id,
    );
    expect(done.status).toBe('completed');

    const second = join(t.inputDir, 'second');
    writeDicomSeries(second, 200, { rows: 128, columns: 128 });
    let backupStarted: Promise<BackupResult> | undefined;
    let jobAtStart: Job | undefined;
    const unsubscribe = t.core.events.subscribe((name, payload) => {
      const { job } = payload as { job: Job };
      if (name !== 'jobs.updated' || backupStarted !== undefined) return;
      if (job.status !== 'processing' || job.progress === 0) return;
      jobAtStart = job;
      backupStarted = backup(join(t.root, 'backup'));
    });
    const started = await t.ok('import.files', { paths: [second] }, token);
    const imported = await t.core.jobs.whenFinished(started.id);
    unsubscribe();
    expect(imported.status).toBe('completed');
    expect(backupStarted, 'the backup never started during the import').toBeDefined();
    const result = await (backupStarted as Promise<BackupResult>);
    // It really ran while the import was writing: neither before it nor after it.
    expect(jobAtStart?.progress).toBeGreaterThan(0);
    expect(jobAtStart?.progress).toBeLessThan(1);
    const inBackup = countFiles(join(result.dir, 'neurosphere.db'));
    expect(inBackup).toBeGreaterThanOrEqual(20);
    expect(result.warnings).toEqual([]);

    const restoredDir = join(t.root, 'restored');
    const restored = await restoreBackup({ backupDir: result.dir, dataDir: restoredDir, now });
    expect(restored.previousDataDir).toBeNull();

    const db = new Database(join(restoredDir, 'neurosphere.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const referenced = db.prepare('SELECT sha256 FROM files').all() as { sha256: string }[];
      expect(referenced.length).toBe(inBackup);
      for (const { sha256 } of referenced) {
        expect(existsSync(join(restoredDir, 'blobs', sha256.slice(0, 2), sha256)), sha256).toBe(
          true,
        );
      }
    } finally {
      db.close();
    }
    const blobs = blobFiles(restoredDir);
    expect(blobs.length).toBeGreaterThanOrEqual(inBackup);
    for (const blob of blobs) expect(sha256Of(blob)).toBe(blob.slice(-64));
  }, 120_000);

  it('lists every file with its sha256 and size in the manifest, written last', async () => {
    const folder = join(t.inputDir, 'series');
    writeDicomSeries(folder, 5, { rows: 32, columns: 32 });
    await t.core.jobs.whenFinished((await t.ok('import.files', { paths: [folder] }, token)).id);
    const result = await backup(join(t.root, 'backup'));
    const manifest = await readBackupManifest(result.dir);
    expect(manifest.files.map((f) => f.path)).toContain('neurosphere.db');
    expect(manifest.files.filter((f) => f.path.startsWith('blobs/'))).toHaveLength(5);
    for (const file of manifest.files) {
      const bytes = readFileSync(join(result.dir, file.path));
      expect(bytes.byteLength).toBe(file.size);
      expect(sha256Of(join(result.dir, file.path))).toBe(file.sha256);
    }
    // Nothing beside the database copy (no -wal / -shm) and no temp manifest.
    expect(readdirSync(result.dir).sort()).toEqual(['blobs', BACKUP_MANIFEST, 'neurosphere.db']);
  });

  it('refuses a folder that is not empty, and leaves it alone', async () => {
    const target = join(t.root, 'busy');
    mkdirSync(target);
    writeFileSync(join(target, 'older-backup.txt'), 'keep me');
    await expect(backup(target)).rejects.toThrow(/is not empty/);
    expect(readFileSync(join(target, 'older-backup.txt'), 'utf8')).toBe('keep me');
  });

  it('a cancelled backup leaves no folder that could pass for a backup', async () => {
    const controller = new AbortController();
    controller.abort();
    const target = join(t.root, 'cancelled');
    await expect(backup(target, controller.signal)).rejects.toThrow(/cancelled/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to restore over a data folder the running app has open', async () => {
    const result = await backup(join(t.root, 'backup'));
    await expect(restoreBackup({ backupDir: result.dir, dataDir, now })).rejects.toThrow(
      /neurosphere\.db is in use by Neurosphere .* Stop it, then restore\. Nothing was replaced\./,
    );
    // The app still works on its own data.
    expect((await t.ok('scans.list', {}, token)).total).toBe(0);
    expect(readdirSync(t.root).filter((name) => name.startsWith('data.'))).toEqual([]);
  });

  describe('restore verifies before it replaces anything', () => {
    let backupDir: string;
    let targetDir: string;
    beforeEach(async () => {
      const folder = join(t.inputDir, 'series');
      writeDicomSeries(folder, 3, { rows: 32, columns: 32 });
      await t.core.jobs.whenFinished((await t.ok('import.files', { paths: [folder] }, token)).id);
      backupDir = (await backup(join(t.root, 'backup'))).dir;
      // An existing data folder that must survive every refused restore byte for byte.
      targetDir = join(t.root, 'site');
      mkdirSync(targetDir);
      writeFileSync(join(targetDir, 'neurosphere.db'), 'the current database');
    });

    const restore = () => restoreBackup({ backupDir, dataDir: targetDir, now });
    const untouched = (): void => {
      expect(readFileSync(join(targetDir, 'neurosphere.db'), 'utf8')).toBe('the current database');
      expect(readdirSync(t.root).filter((name) => name.includes('.restoring-'))).toEqual([]);
    };

    it('refuses a blob with one byte changed', async () => {
      const manifest = await readBackupManifest(backupDir);
      const blob = manifest.files.find((f) => f.path.startsWith('blobs/'))!;
      const path = join(backupDir, blob.path);
      const bytes = readFileSync(path);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1]! + 1) % 256;
      writeFileSync(path, bytes);
      await expect(restore()).rejects.toThrow(/does not match its sha256.*Nothing was replaced/s);
      untouched();
    });

    it('refuses a missing file and a backup without manifest', async () => {
      const manifest = await readBackupManifest(backupDir);
      const blob = manifest.files.find((f) => f.path.startsWith('blobs/'))!;
      writeFileSync(join(backupDir, blob.path), '');
      await expect(restore()).rejects.toThrow(/has 0 bytes/);
      untouched();
      writeFileSync(join(backupDir, BACKUP_MANIFEST), '{"format": "something else"}');
      await expect(restore()).rejects.toThrow(/not a Neurosphere backup manifest/);
      untouched();
    });

    it('refuses a backup of a newer schema', async () => {
      const manifest = await readBackupManifest(backupDir);
      writeFileSync(
        join(backupDir, BACKUP_MANIFEST),
        JSON.stringify({ ...manifest, schemaVersion: 999, appVersion: '9.0.0' }),
      );
      await expect(restore()).rejects.toThrow(/newer Neurosphere \(9\.0\.0/);
      untouched();
    });

    it('replaces the data folder and keeps the old one aside', async () => {
      const result = await restore();
      expect(result.previousDataDir).toMatch(/site\.before-restore-2026-12-02T17-00-00-000Z$/);
      expect(readFileSync(join(result.previousDataDir!, 'neurosphere.db'), 'utf8')).toBe(
        'the current database',
      );
      expect(countFiles(join(targetDir, 'neurosphere.db'))).toBe(3);
    });
  });
});
