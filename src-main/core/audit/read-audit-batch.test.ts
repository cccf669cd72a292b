import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';
import { createAuditRepo, type AuditRepo } from './audit-repo.js';
import { createReadAuditBatch } from './read-audit-batch.js';
import { beginReadRequest } from './request-audit.js';

/**
 * Read rows are queued and committed together, and a read-only request's calls are one row: the
 * chain stays valid whatever the interleaving with synchronous appends, and nothing is lost on
 * a clean close. Real SQLite, real HMAC chain.
 */
let t: TempDb;
let audit: AuditRepo;
const rows = (): Array<{ seq: number; action: string; details: string }> =>
  t.db.prepare('SELECT seq, action, details FROM audit_log ORDER BY seq').all() as Array<{
    seq: number;
    action: string;
    details: string;
  }>;
const read = (i: number) => ({
  at: `2026-12-03T10:00:00.${String(i).padStart(3, '0')}Z`,
  actor: 'rita',
  action: 'scans.read',
  target: `scan-${i}`,
});

beforeEach(() => {
  t = openTempDb();
  audit = createAuditRepo(t.db, TEST_AUDIT_KEY, { readBatch: { maxDelayMs: 20, maxRows: 10 } });
  audit.open('2026-12-03T09:59:59.000Z');
});
afterEach(() => {
  audit.close();
  t.dispose();
});

describe('batched audit rows of reads', () => {
  it('commits queued reads a few milliseconds later, in one batch, with a valid chain', async () => {
    for (let i = 0; i < 3; i++) audit.appendRead(read(i));
    expect(audit.pendingReads()).toBe(3);
    expect(rows()).toHaveLength(0);
    await expect.poll(() => rows().length, { timeout: 2000, interval: 5 }).toBe(3);
    expect(audit.pendingReads()).toBe(0);
    expect(rows().map((r) => r.action)).toEqual(['scans.read', 'scans.read', 'scans.read']);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 3 });
  });

  it('commits at once when the batch is full, and on close', () => {
    for (let i = 0; i < 10; i++) audit.appendRead(read(i));
    expect(rows()).toHaveLength(10);
    audit.appendRead(read(10));
    expect(rows()).toHaveLength(10);
    audit.close();
    expect(rows()).toHaveLength(11);
    expect(audit.verify().ok).toBe(true);
  });

  it('keeps the chain valid when changes are appended between queued reads', () => {
    audit.appendRead(read(1));
    audit.append({ at: read(2).at, actor: 'rita', action: 'patients.update', target: 'p1' });
    audit.appendRead(read(3));
    audit.append({ at: read(4).at, actor: 'rita', action: 'patients.update', target: 'p2' });
    // The changes are written at once; the reads when their batch commits.
    expect(rows().map((r) => r.action)).toEqual(['patients.update', 'patients.update']);
    const verified = audit.verify();
    expect(verified).toMatchObject({ ok: true, rows: 4, issues: [] });
    expect(rows().map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  it('shows queued reads to readers of the log (list flushes first)', () => {
    audit.appendRead(read(7));
    expect(audit.list(10).map((e) => e.target)).toEqual(['scan-7']);
  });

  it('keeps the rows of a failed commit, in order, and commits them on the next try', () => {
    const written: number[][] = [];
    const errors: unknown[] = [];
    let failures = 1;
    const batch = createReadAuditBatch<number>({
      maxDelayMs: 1000,
      maxRows: 100,
      write(batchRows) {
        if (failures-- > 0) throw new Error('database is locked');
        written.push([...batchRows]);
      },
      onError: (error) => errors.push(error),
    });
    batch.add(1);
    batch.add(2);
    batch.flush();
    expect(errors).toHaveLength(1);
    expect(batch.pending()).toBe(2);
    batch.add(3);
    batch.close();
    expect(written).toEqual([[1, 2, 3]]);
    expect(batch.pending()).toBe(0);
  });
});

describe('one audit row per read-only request', () => {
  it("writes the first call's row with the others under details.also", () => {
    const scope = beginReadRequest(audit);
    expect(scope.collect({ ...read(1), details: { frame: 0 } })).toBe(true);
    expect(scope.collect({ ...read(2), action: 'analysis.read' })).toBe(true);
    expect(scope.collect({ ...read(3), action: 'reports.list', details: { count: 2 } })).toBe(true);
    // Another account's row is not folded into this request's.
    expect(scope.collect({ ...read(4), actor: 'someone else' })).toBe(false);
    scope.end();
    // After the end (a stream audited once its answer was sent) rows go on their own.
    expect(scope.collect(read(5))).toBe(false);
    audit.flushReads();
    const [row, ...others] = rows();
    expect(others).toHaveLength(0);
    expect(row?.action).toBe('scans.read');
    expect(JSON.parse(row?.details ?? '{}')).toEqual({
      frame: 0,
      also: [
        { action: 'analysis.read', target: 'scan-2' },
        { action: 'reports.list', target: 'scan-3', details: { count: 2 } },
      ],
    });
    expect(audit.verify().ok).toBe(true);
  });

  it('writes nothing for a request whose calls audited nothing', () => {
    beginReadRequest(audit).end();
    audit.flushReads();
    expect(rows()).toHaveLength(0);
  });
});
