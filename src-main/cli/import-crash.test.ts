import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { collect, ensureBuilt, runCliProcess, spawnCli, waitForLine } from './testing/run-cli.js';

const FILE_COUNT = 400;

let root: string;
let dataDir: string;
let folder: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-crash-'));
  dataDir = join(root, 'data');
  folder = join(root, 'cd-export');
  writeDicomSeries(folder, FILE_COUNT, { patientId: 'NS-CRASH', patientName: 'Crash^Test' });
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface JobRow {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  error: string | null;
}

function openReadOnly(): Database.Database {
  return new Database(join(dataDir, 'neurosphere.db'), { readonly: true });
}

/** Every file of the blob store except the temp folder: blobs/<aa>/<sha256>. */
function blobsOnDisk(): string[] {
  const blobRoot = join(dataDir, 'blobs');
  return readdirSync(blobRoot)
    .filter((name) => name !== 'tmp')
    .flatMap((prefix) => readdirSync(join(blobRoot, prefix)));
}

describe('interrupted imports', () => {
  it('leaves an orphaned job that the next import resumes, losing and doubling nothing', async () => {
    // 1. Start an import and kill it hard once it is well under way.
    const child = spawnCli(['import', folder, '--data-dir', dataDir]);
    const exited = collect(child);
    if (child.stderr === null) throw new Error('no stderr');
    await waitForLine(child.stderr, /^Import: .* · [1-9]\d%/);
    child.kill('SIGKILL');
    const killed = await exited;
    expect(killed.signal).toBe('SIGKILL');

    // 2. The job is orphaned: still 'processing', owned by a process that no longer exists.
    const before = openReadOnly();
    const interrupted = before.prepare('SELECT * FROM jobs').all() as JobRow[];
    before.close();
    expect(interrupted).toHaveLength(1);
    const orphan = interrupted[0] as JobRow;
    expect(orphan.status).toBe('processing');
    expect(orphan.progress).toBeGreaterThanOrEqual(0.1);
    expect(orphan.progress).toBeLessThan(1);

    // 3. The same import again: the queue resumes the orphan first, then runs the new job.
    const rerun = await runCliProcess(['import', folder, '--data-dir', dataDir, '--json']);
    expect(rerun.stderr).toContain(
      `Running import ${orphan.id} first (resumed after an interruption`,
    );
    expect(rerun.code).toBe(0);
    const document = JSON.parse(rerun.stdout) as {
      status: string;
      report: { imported: number; duplicates: number; rejected: number };
      resumedJobs: Array<{ jobId: string; status: string; report: { imported: number } }>;
    };
    expect(document.resumedJobs).toEqual([
      expect.objectContaining({ jobId: orphan.id, status: 'completed' }),
    ]);
    expect(document.resumedJobs[0]?.report.imported).toBe(FILE_COUNT);
    expect(document.status).toBe('completed');
    expect(document.report).toMatchObject({ imported: 0, duplicates: FILE_COUNT, rejected: 0 });

    // 4. The store is consistent.
    const db = openReadOnly();
    try {
      const jobs = db.prepare('SELECT * FROM jobs').all() as JobRow[];
      expect(jobs.filter((job) => job.status === 'processing' || job.status === 'pending')).toEqual(
        [],
      );
      expect(jobs.find((job) => job.id === orphan.id)).toMatchObject({
        status: 'completed',
        attempts: 2,
      });

      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT COUNT(*) AS n FROM instances')).toBe(FILE_COUNT);
      expect(count('SELECT COUNT(DISTINCT sop_instance_uid) AS n FROM instances')).toBe(FILE_COUNT);
      expect(count('SELECT COUNT(*) AS n FROM files')).toBe(FILE_COUNT);
      expect(
        count(
          'SELECT COUNT(*) AS n FROM instances i LEFT JOIN files f ON f.id = i.file_id WHERE f.id IS NULL',
        ),
      ).toBe(0);
      expect(
        count(
          'SELECT COUNT(*) AS n FROM scans s WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.scan_id = s.id)',
        ),
      ).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM scans')).toBe(1);

      const files = db.prepare('SELECT sha256 FROM files').all() as Array<{ sha256: string }>;
      for (const { sha256 } of files) {
        const path = join(dataDir, 'blobs', sha256.slice(0, 2), sha256);
        expect(existsSync(path)).toBe(true);
        expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(sha256);
      }
      // No orphaned blobs either: every blob on disk has its row.
      expect(blobsOnDisk().sort()).toEqual(files.map((f) => f.sha256).sort());
      expect(readdirSync(join(dataDir, 'blobs', 'tmp'))).toEqual([]);
    } finally {
      db.close();
    }
  }, 180_000);

  it('cancels the job on Ctrl-C, says what was imported and exits 130', async () => {
    const cancelDir = join(root, 'cancel-data');
    const child = spawnCli(['import', folder, '--data-dir', cancelDir, '--json']);
    const exited = collect(child);
    if (child.stderr === null) throw new Error('no stderr');
    await waitForLine(child.stderr, /^Import: .* · [1-9]\d%/);
    child.kill('SIGINT');
    const run = await exited;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Cancelling the import');
    expect(run.stderr).toMatch(/was cancelled at "Importing file \d+ of 400"/);
    const document = JSON.parse(run.stdout) as { status: string; error: { code: string } };
    expect(document).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });

    const db = new Database(join(cancelDir, 'neurosphere.db'), { readonly: true });
    try {
      const jobs = db.prepare('SELECT status FROM jobs').all();
      expect(jobs).toEqual([{ status: 'cancelled' }]);
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(FILE_COUNT);
    } finally {
      db.close();
    }
  }, 120_000);
});
