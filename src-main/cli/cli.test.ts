import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../core/core.js';
import { memoryLogger } from '../core/platform/logger.js';
import { makeDicom, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { makePng } from '../test-support/image-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';
import { TEST_AUDIT_KEY } from '../test-support/test-audit-key.js';

interface ImportDocument {
  jobId: string;
  status: string;
  error: unknown;
  report: {
    total: number;
    imported: number;
    duplicates: number;
    rejected: number;
    scanIds: string[];
    items: Array<{ path: string; status: string; code?: string; reason?: string }>;
  };
  resumedJobs: unknown[];
}

interface ScanItem {
  id: string;
  kind: string;
  patient: { id: string | null; name: string | null; mrn: string | null } | null;
  modality: string | null;
  status: string;
  dimensions: { rows: number | null; columns: number | null; slices: number };
  spacing: [number, number, number | null] | null;
}

let root: string;
let dataDir: string;
let incoming: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-cli-'));
  dataDir = join(root, 'data');
  incoming = join(root, 'incoming');
  writeDicomSeries(join(incoming, 'series'), 3, { patientId: 'NS-CLI-1', patientName: 'Doe^Jane' });
  writeFileSync(join(incoming, 'picture.png'), makePng(20, 10));
  copyFileSync(join(incoming, 'picture.png'), join(incoming, 'picture-copy.png'));
  // A DICOM file cut off in the middle of its header, as from an interrupted copy.
  writeFileSync(join(incoming, 'broken.dcm'), makeDicom().subarray(0, 300));
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const inData = (...args: string[]): string[] => [...args, '--data-dir', dataDir];

describe('CLI against a real data folder', () => {
  it('adds the first user with the password from stdin (without the newline)', async () => {
    const run = await runCliProcess(
      inData('users', 'add', '--username', 'root', '--role', 'admin', '--password-stdin'),
      { input: 'first admin password\n' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created user root \(admin\)/);

    const viewer = await runCliProcess(
      inData('users', 'add', '--username', 'vic', '--role', 'viewer', '--password-stdin'),
      { input: 'viewer password\r\n' },
    );
    expect(viewer.code).toBe(0);

    const core = createCore({
      auditKey: TEST_AUDIT_KEY,
      dataDir,
      logger: memoryLogger(),
    });
    try {
      const login = await core.router.call(
        'auth.login',
        { username: 'root', password: 'first admin password' },
        { transport: 'test' },
      );
      expect(login).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
      const viewerLogin = await core.router.call(
        'auth.login',
        { username: 'vic', password: 'viewer password' },
        { transport: 'test' },
      );
      expect(viewerLogin).toMatchObject({ ok: true, value: { user: { role: 'viewer' } } });
    } finally {
      await core.close();
    }
  });

  it('refuses a second account with the same name (exit 1)', async () => {
    const run = await runCliProcess(
      inData('users', 'add', '--username', 'root', '--role', 'viewer', '--password-stdin'),
      { input: 'another password\n' },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already exists');
  });

  it('imports a folder and reports imported, duplicate and rejected files as one JSON document', async () => {
    const run = await runCliProcess(inData('import', incoming, '--json'));
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as ImportDocument;
    expect(document.status).toBe('completed');
    expect(document.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.resumedJobs).toEqual([]);
    expect(document.report).toMatchObject({ total: 6, imported: 4, duplicates: 1, rejected: 1 });
    expect(document.report.scanIds).toHaveLength(2);
    const rejected = document.report.items.find((item) => item.status === 'rejected');
    expect(rejected).toMatchObject({ path: join(incoming, 'broken.dcm'), code: 'CORRUPT_FILE' });
    expect(rejected?.reason).toEqual(expect.stringMatching(/\w{5,}/));
    const duplicate = document.report.items.find((item) => item.status === 'duplicate');
    expect(duplicate).toMatchObject({
      code: 'DUPLICATE',
      reason: expect.stringMatching(/Already/),
    });
    expect(run.stderr).toContain('1 file(s) were rejected');
  });

  it('lists the scans with dimensions and voxel spacing', async () => {
    const run = await runCliProcess(inData('scans', 'list', '--json'));
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as {
      items: ScanItem[];
      total: number;
      page: number;
      limit: number;
      totalPages: number;
    };
    expect(page).toMatchObject({ total: 2, page: 1, limit: 50, totalPages: 1 });
    const series = page.items.find((scan) => scan.kind === 'series');
    expect(series).toMatchObject({
      patient: { name: 'Doe, Jane', mrn: 'NS-CLI-1', id: expect.any(String) },
      modality: 'MR',
      status: 'imported',
      dimensions: { rows: 16, columns: 16, slices: 3 },
      spacing: [0.8, 0.9, 5],
    });
    const picture = page.items.find((scan) => scan.kind === 'image');
    expect(picture).toMatchObject({
      patient: null,
      dimensions: { rows: 10, columns: 20, slices: 1 },
      spacing: null,
    });

    const table = await runCliProcess(inData('scans', 'list'));
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.split('\n');
    expect(header).toMatch(/^ID\s+PATIENT\s+MODALITY\s+STATUS\s+SIZE/);
    expect(rows.find((row) => row.startsWith(series?.id ?? '?'))).toMatch(
      /Doe, Jane \(NS-CLI-1\)\s+MR\s+imported\s+16×16×3\s+0\.8×0\.9×5 mm/,
    );
    expect(table.stdout).toContain('(2 scans)');
  });

  it('shows one scan with its instances and files', async () => {
    const list = JSON.parse((await runCliProcess(inData('scans', 'list', '--json'))).stdout) as {
      items: ScanItem[];
    };
    const id = list.items.find((scan) => scan.kind === 'series')?.id ?? '';
    const run = await runCliProcess(inData('scans', 'show', id, '--json'));
    expect(run.code).toBe(0);
    const detail = JSON.parse(run.stdout) as {
      scan: ScanItem;
      instances: unknown[];
      files: Array<{ sha256: string }>;
      series: { instanceCount: number };
    };
    expect(detail.scan).toMatchObject({ id, dimensions: { slices: 3 } });
    expect(detail.instances).toHaveLength(3);
    expect(detail.files).toHaveLength(3);
    expect(detail.series.instanceCount).toBe(3);

    const text = await runCliProcess(inData('scans', 'show', id));
    expect(text.stdout).toMatch(/^Scan\s+/);
    expect(text.stdout).toMatch(/Spacing\s+0\.8×0\.9×5 mm/);
    expect(text.stdout).toMatch(/Instances\s+3/);
  });

  it('lists patients', async () => {
    const run = await runCliProcess(inData('patients', 'list', '--json'));
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as { items: Array<Record<string, unknown>>; total: number };
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ name: 'Doe, Jane', mrn: 'NS-CLI-1', scanCount: 1 });
  });

  it('lists jobs', async () => {
    const run = await runCliProcess(inData('jobs', 'list', '--json'));
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as { items: Array<{ status: string; type: string }> };
    expect(page.items).toEqual([
      expect.objectContaining({ type: 'import.files', status: 'completed' }),
    ]);
  });

  it('prints a readable report when importing the same folder again', async () => {
    const run = await runCliProcess(inData('import', incoming));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^0 imported, 5 duplicates, 1 rejected \(6 files\)/);
    expect(run.stdout).toContain('Not imported:');
    expect(run.stdout).toMatch(/rejected\s+.*broken\.dcm\n\s+CORRUPT_FILE: /);
    expect(run.stderr).toMatch(/Import: .*100%/);
  });

  it('attaches images to a patient named by MRN', async () => {
    const folder = join(root, 'attach');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'photo.png'),
      makePng(8, 8, (x, y) => x * y),
    );
    const run = await runCliProcess(inData('import', folder, '--patient', 'NS-CLI-1', '--json'));
    expect(run.code).toBe(0);
    const patients = JSON.parse(
      (await runCliProcess(inData('patients', 'list', '--json'))).stdout,
    ) as { items: Array<{ scanCount: number }> };
    expect(patients.items[0]?.scanCount).toBe(2);

    const unknown = await runCliProcess(inData('import', folder, '--patient', 'NOBODY'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No patient has the id or MRN "NOBODY"');
  });

  it('refuses to queue an import of a path that does not exist (exit 1)', async () => {
    const run = await runCliProcess(inData('import', join(root, 'no-such-folder')));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No such file or folder');
  });

  it('exits 2 with a short usage text for usage errors', async () => {
    const unknownCommand = await runCliProcess(inData('frobnicate'));
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('Unknown command "frobnicate"');
    expect(unknownCommand.stderr).toContain('Usage: neurosphere');
    expect(unknownCommand.stdout).toBe('');

    const unknownFlag = await runCliProcess(inData('scans', 'list', '--colour'));
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('--colour');
    expect(unknownFlag.stderr).toContain('Usage: neurosphere scans list');
  });

  it('exits 1 with the message for an unknown scan, without a stack trace', async () => {
    const run = await runCliProcess(
      inData('scans', 'show', '0e6f1f5c-4b1a-4c55-9d51-5d3f6f0a1b2c'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No such scan');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a database written by a newer version (DATABASE_MISMATCH), exit 1', async () => {
    const otherDir = join(root, 'newer');
    expect((await runCliProcess(['scans', 'list', '--data-dir', otherDir])).code).toBe(0);
    const db = new Database(join(otherDir, 'neurosphere.db'));
    db.prepare(
      'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
    ).run(99, 'from-the-future', 'f'.repeat(64), new Date().toISOString());
    db.close();

    const run = await runCliProcess(['scans', 'list', '--data-dir', otherDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('This database has migration 99 (from-the-future)');
    expect(run.stderr).toContain('newer version');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes the data folder from NEUROSPHERE_DATA_DIR', async () => {
    const run = await runCliProcess(['patients', 'list', '--json'], {
      env: { NEUROSPHERE_DATA_DIR: dataDir },
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { total: number }).total).toBe(1);
  });
});
