import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { createScansRepo, type ScanQuery } from '../../scans/scans-repo.js';
import { migrate } from '../migrate.js';

const base = {
  patientId: null,
  studyId: null,
  seriesId: null,
  kind: 'image' as const,
  format: 'png' as const,
  modality: 'MR',
  description: null,
  rows: 8,
  columns: 8,
  spacing: null,
  acquiredAt: null,
};
const query = (q: Partial<ScanQuery> = {}): ScanQuery => ({
  sort: 'createdAt',
  order: 'desc',
  page: 1,
  limit: 10,
  ...q,
});

describe('migration 022 (scan list indexes)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps the scans and answers filtered pages from the new indexes alone', () => {
    t = openTempDb(19);
    const scans = createScansRepo(t.db);
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      scans.insert({ ...base, id }, at(i));
      if (i % 3 === 0) scans.setStatus(id, 'completed', at(i));
      ids.push(id);
    }
    migrate(t.db);
    const names = (
      t.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'scans'")
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    expect(names).toEqual(
      expect.arrayContaining(['scans_status_created_id', 'scans_patient_created_id']),
    );
    expect(names).not.toContain('scans_status');
    expect(names).not.toContain('scans_patient');
    const plan = (sql: string, ...params: unknown[]) =>
      (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
    expect(
      plan(
        'SELECT c.id FROM scans c WHERE c.status = ? ORDER BY c.created_at DESC, c.id DESC LIMIT 10 OFFSET 5',
        'completed',
      ),
    ).toMatch(/COVERING INDEX scans_status_created_id/);
    expect(
      plan(
        'SELECT c.id FROM scans c WHERE c.patient_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT 10',
        'p',
      ),
    ).toMatch(/COVERING INDEX scans_patient_created_id/);

    // The deferred-join pages give the same rows as walking the whole list.
    const newestFirst = [...ids].reverse();
    const pageIds = (q: Partial<ScanQuery>) => scans.list(query(q)).items.map((scan) => scan.id);
    expect([1, 2, 3].flatMap((page) => pageIds({ page }))).toEqual(newestFirst);
    expect(pageIds({ status: 'completed', page: 2, limit: 4 })).toEqual(
      newestFirst.filter((_, i) => (29 - i) % 3 === 0).slice(4, 8),
    );
    expect(scans.list(query({ status: 'completed' })).total).toBe(10);
  });

  it('reads each scan of a page with its newest analysis in the same statement', () => {
    t = openTempDb();
    const scans = createScansRepo(t.db);
    const analyse = (scanId: string, id: string, createdAt: string) =>
      t.db
        .prepare(
          `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at, applicability)
           VALUES (?, ?, 'cpu', 0, 0, ?, ?, 'applicable')`,
        )
        .run(id, scanId, JSON.stringify({ id }), createdAt);
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    scans.insert({ ...base, id: a }, '2026-01-01T00:00:00.000Z');
    scans.insert({ ...base, id: b }, '2026-01-02T00:00:00.000Z');
    analyse(a, 'first', '2026-01-03T00:00:00.000Z');
    analyse(a, 'second', '2026-01-04T00:00:00.000Z');
    const page = scans.listWithLatestAnalysis(query());
    expect(page.total).toBe(2);
    expect(page.items.map((item) => [item.scan.id, item.analysisJson])).toEqual([
      [b, null],
      [a, JSON.stringify({ id: 'second' })],
    ]);
  });
});
