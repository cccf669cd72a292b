import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { createJobsRepo } from '../../jobs/jobs-repo.js';
import { createReadingsRepo } from '../../readings/readings-repo.js';
import { migrate } from '../migrate.js';

const NOW = '2026-12-03T10:00:00.000Z';

describe('migration 027 (job priority, readings)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('makes every existing job MEDIUM and orders waiting jobs from the new index', () => {
    t = openTempDb(22); // up to 022, before this migration
    t.db
      .prepare(
        `INSERT INTO jobs (id, type, status, payload, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'import.files', 'pending', '{"paths":["/x"]}', ?, ?)`,
      )
      .run(NOW, NOW);
    migrate(t.db);
    const jobs = createJobsRepo(t.db);
    expect(jobs.get('00000000-0000-4000-8000-000000000001')?.priority).toBe('MEDIUM');
    const plan = (
      t.db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT * FROM jobs WHERE status = 'pending' ORDER BY priority DESC, created_at, id LIMIT 2",
        )
        .all() as Array<{ detail: string }>
    )
      .map((row) => row.detail)
      .join('; ');
    expect(plan).toContain('jobs_pending_order');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('removes a scan’s readings with the scan, and refuses an unknown priority', () => {
    t = openTempDb();
    const scanId = '00000000-0000-4000-8000-0000000000aa';
    t.db
      .prepare(
        `INSERT INTO scans (id, kind, format, status, created_at, updated_at)
         VALUES (?, 'image', 'png', 'imported', ?, ?)`,
      )
      .run(scanId, NOW, NOW);
    const readings = createReadingsRepo(t.db);
    readings.insert({
      id: '00000000-0000-4000-8000-0000000000bb',
      scanId,
      kind: 'expert',
      priority: 'HIGH',
      notes: '',
      includeSuggestions: true,
      requestedBy: 'admin',
      createdAt: NOW,
    });
    expect(readings.listOfScan(scanId)).toHaveLength(1);
    t.db.prepare('DELETE FROM scans WHERE id = ?').run(scanId);
    expect(readings.listOfScan(scanId)).toHaveLength(0);
    t.db
      .prepare(
        `INSERT INTO jobs (id, type, status, payload, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', 'import.files', 'pending', '{}', ?, ?)`,
      )
      .run(NOW, NOW);
    expect(() => t.db.prepare('UPDATE jobs SET priority = 7').run()).toThrow(/CHECK/);
  });
});
