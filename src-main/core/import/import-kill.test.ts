import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Through the CLI, as a real process that can be killed (src-main/cli has the resume test).
import { collect, ensureBuilt, runCliProcess, spawnCli } from '../../cli/testing/run-cli.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';

const FILE_COUNT = 400;

let root: string;
let dataDir: string;
let folder: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-kill-'));
  dataDir = join(root, 'data');
  folder = join(root, 'series');
  writeDicomSeries(folder, FILE_COUNT, { rows: 256, columns: 256 });
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const sha256Of = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The store's invariant at any instant: every file row has its blob, whole; every blob under its
 * final name holds the bytes its name says (a blob without a row is allowed: a kill between the
 * blobs' commit and the rows' commit leaves those, and the next import of the files uses them).
 */
function expectConsistent(): { rows: number; blobs: number } {
  const db = new Database(join(dataDir, 'neurosphere.db'), { readonly: true });
  let rows: Array<{ sha256: string }>;
  try {
    rows = db.prepare('SELECT sha256 FROM files').all() as Array<{ sha256: string }>;
  } finally {
    db.close();
  }
  const blobRoot = join(dataDir, 'blobs');
  for (const { sha256 } of rows) {
    const path = join(blobRoot, sha256.slice(0, 2), sha256);
    expect(existsSync(path)).toBe(true);
    expect(sha256Of(path)).toBe(sha256);
  }
  const blobs = readdirSync(blobRoot)
    .filter((name) => name !== 'tmp')
    .flatMap((prefix) => readdirSync(join(blobRoot, prefix)).map((name) => join(prefix, name)));
  for (const name of blobs) expect(sha256Of(join(blobRoot, name))).toBe(name.slice(3));
  return { rows: rows.length, blobs: blobs.length };
}

interface StoreState {
  rows: number;
  temps: number;
}

function storeState(): StoreState {
  let rows = 0;
  try {
    const db = new Database(join(dataDir, 'neurosphere.db'), { readonly: true });
    try {
      rows = (db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    // Not created or not migrated yet.
  }
  const tmp = join(dataDir, 'blobs', 'tmp');
  return { rows, temps: existsSync(tmp) ? readdirSync(tmp).length : 0 };
}

/** Runs an import and kills it once the store reaches a state (or lets it finish). */
async function importKilledWhen(isTime: (state: StoreState) => boolean): Promise<void> {
  const child = spawnCli(['import', folder, '--data-dir', dataDir]);
  const exited = collect(child);
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (!hasExited && !isTime(storeState())) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  const run = await exited;
  // The import may have finished first: the store must be right either way.
  expect(run.signal === 'SIGKILL' || run.code === 0).toBe(true);
}

describe('killing an import at any point of its batches', () => {
  it('never leaves a row without its blob or a partial blob, and the next import completes', async () => {
    // While the first batch is staged; after some batches; late (each run resumes the last).
    const killPoints = [
      (s: StoreState) => s.temps > 10,
      (s: StoreState) => s.rows >= 100,
      (s: StoreState) => s.rows >= 250 && s.temps > 0,
    ];
    for (const isTime of killPoints) {
      await importKilledWhen(isTime);
      const { rows } = expectConsistent();
      expect(rows).toBeLessThanOrEqual(FILE_COUNT);
    }

    const final = await runCliProcess(['import', folder, '--data-dir', dataDir, '--json']);
    expect(final.code).toBe(0);
    // Every blob is referenced again: the orphans of the kills were the same files' bytes.
    expect(expectConsistent()).toEqual({ rows: FILE_COUNT, blobs: FILE_COUNT });
    expect(readdirSync(join(dataDir, 'blobs', 'tmp'))).toEqual([]);
    const db = new Database(join(dataDir, 'neurosphere.db'), { readonly: true });
    try {
      const open = db
        .prepare("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('pending', 'processing')")
        .get() as { n: number };
      expect(open.n).toBe(0);
      const instances = db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number };
      expect(instances.n).toBe(FILE_COUNT);
    } finally {
      db.close();
    }
  }, 180_000);
});
