import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';
import { migrate } from '../db/migrate.js';
import type { AuditKey } from './audit-key.js';
import {
  createAuditRepo,
  GENESIS,
  HEAD_MISSING_ACTION,
  SEAL_ACTION,
  type AuditRepo,
  type AuditVerification,
} from './audit-repo.js';

const ACTIONS = ['auth.login', 'patients.read', 'patients.update', 'frames.read', 'auth.logout'];
const COLUMNS = ['at', 'actor', 'action', 'target', 'details', 'prev_hash', 'hash'] as const;

const kinds = (v: AuditVerification): string[] => v.issues.map((i) => `${i.seq ?? '-'}:${i.kind}`);

describe('audit log chain (HMAC, head record)', () => {
  let t: TempDb;
  let audit: AuditRepo;
  beforeEach(() => {
    t = openTempDb();
    audit = createAuditRepo(t.db, TEST_AUDIT_KEY);
    audit.open('2024-03-01T07:59:00.000Z');
    for (const [i, action] of ACTIONS.entries()) {
      audit.append({
        at: `2024-03-01T08:00:0${i}.000Z`,
        actor: 'alice',
        action,
        target: `p${i}`,
        details: { i },
      });
    }
  });
  afterEach(() => t.dispose());

  /** What an attacker with the database file can do: remove the append-only guards. */
  const dropGuards = (): void => {
    t.db.exec(
      'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_no_delete; DROP TRIGGER audit_head_no_rewind;',
    );
  };

  it('links each entry to the previous one and verifies as intact', () => {
    const entries = audit.list().reverse();
    expect(entries.map((e) => e.action)).toEqual(ACTIONS);
    expect(entries[0]?.prevHash).toBe(GENESIS);
    for (let i = 1; i < entries.length; i++)
      expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(audit.verify()).toEqual({ ok: true, rows: 5, legacyRows: 0, issues: [] });
  });

  it('refuses UPDATE and DELETE while the triggers stand', () => {
    expect(() => t.db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => t.db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM audit_head').run()).toThrow(/never deleted/);
    expect(() => t.db.prepare('UPDATE audit_head SET row_count = 1, last_seq = 1').run()).toThrow(
      /forward/,
    );
  });

  it('stores and verifies a lone-surrogate username and unnormalised text', () => {
    audit.append({
      at: '2024-03-01T09:00:00.000Z',
      actor: '\uD800bob',
      action: 'auth.login.failed',
      target: null,
    });
    audit.append({
      at: '2024-03-01T09:00:01.000Z',
      actor: 'Jose\u0301',
      action: 'auth.login',
      target: 'x\uDC00',
    });
    audit.append({
      at: '2024-03-01T09:00:02.000Z',
      actor: 'after',
      action: 'auth.logout',
      target: null,
    });
    const [last, accented, lone] = audit.list(3);
    expect(lone?.actor).toBe('\uFFFDbob');
    expect(accented?.actor).toBe('José');
    expect(accented?.target).toBe('x\uFFFD');
    expect(last?.actor).toBe('after');
    expect(audit.verify().ok).toBe(true);
    // A break after the odd row is still found: the odd row does not hide it.
    dropGuards();
    t.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 8").run();
    expect(kinds(audit.verify())).toEqual(['8:altered']);
  });

  for (const column of COLUMNS) {
    it(`detects a one-byte change in ${column}`, () => {
      dropGuards();
      const row = t.db.prepare(`SELECT ${column} AS v FROM audit_log WHERE seq = 3`).get() as {
        v: string;
      };
      const last = row.v.at(-1) === '0' ? '1' : '0';
      t.db
        .prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = 3`)
        .run(row.v.slice(0, -1) + last);
      const v = audit.verify();
      expect(v.ok).toBe(false);
      expect(v.issues.some((i) => i.seq === 3 || i.seq === 4)).toBe(true);
    });
  }

  it('detects a changed sequence number', () => {
    dropGuards();
    t.db.prepare('UPDATE audit_log SET seq = 9 WHERE seq = 5').run();
    expect(kinds(audit.verify())).toEqual(['9:missing-rows', '9:altered', '9:broken-link']);
  });

  it('detects a chain recomputed without the key (unkeyed SHA-256 or a guessed key)', () => {
    dropGuards();
    type Row = {
      seq: number;
      at: string;
      actor: string;
      action: string;
      target: string;
      details: string;
    };
    const rows = t.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
    const guess = Buffer.alloc(32, 1);
    let prev = GENESIS;
    for (const r of rows) {
      const actor = r.seq === 2 ? 'mallory' : r.actor;
      const parts = ['row', r.seq, prev, r.at, actor, r.action, r.target, r.details];
      const hash =
        r.seq % 2 === 0
          ? createHash('sha256').update(JSON.stringify(parts)).digest('hex')
          : createHmac('sha256', guess).update(JSON.stringify(parts)).digest('hex');
      t.db
        .prepare('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        .run(actor, prev, hash, r.seq);
      prev = hash;
    }
    const headParts = ['head', 'x', rows.length, rows.length, prev];
    t.db
      .prepare('UPDATE audit_head SET last_hash = ?, mac = ?')
      .run(prev, createHmac('sha256', guess).update(JSON.stringify(headParts)).digest('hex'));
    expect(kinds(audit.verify())).toEqual([
      '1:altered',
      '2:altered',
      '3:altered',
      '4:altered',
      '5:altered',
      '-:head-altered',
    ]);
  });

  it('detects a deleted middle row', () => {
    dropGuards();
    t.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    const v = audit.verify();
    expect(kinds(v)).toEqual(['4:missing-rows', '4:broken-link', '-:missing-rows']);
    expect(v.issues[0]?.message).toContain('Rows 3–3 are missing');
  });

  it('detects deleted last rows (truncation at the end)', () => {
    dropGuards();
    t.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    const v = audit.verify();
    expect(kinds(v)).toEqual(['3:truncated']);
    expect(v.issues[0]?.message).toMatch(/ends at row 3 but was written up to row 5: rows 4–5/);
  });

  it('goes on after rows were deleted from the end, and the gap stays visible', () => {
    t.db.exec('DROP TRIGGER audit_log_no_delete');
    t.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    audit.append({
      at: '2024-03-01T09:00:00.000Z',
      actor: 'bob',
      action: 'auth.login',
      target: null,
    });
    expect(audit.list(1)[0]?.seq).toBe(6);
    expect(kinds(audit.verify())).toEqual(['6:missing-rows', '-:missing-rows']);
  });

  it('detects truncation with the head rewound by hand (its HMAC breaks)', () => {
    dropGuards();
    const row3 = t.db.prepare('SELECT hash FROM audit_log WHERE seq = 3').get() as { hash: string };
    t.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    t.db.prepare('UPDATE audit_head SET row_count = 3, last_seq = 3, last_hash = ?').run(row3.hash);
    expect(kinds(audit.verify())).toEqual(['-:head-altered']);
  });

  it('detects reordered rows', () => {
    dropGuards();
    const cols = 'at, actor, action, target, details, prev_hash, hash';
    const r2 = t.db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 2`).get() as Record<
      string,
      string
    >;
    const r3 = t.db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 3`).get() as Record<
      string,
      string
    >;
    const put = t.db.prepare(
      'UPDATE audit_log SET at = @at, actor = @actor, action = @action, target = @target, details = @details, prev_hash = @prev_hash, hash = @hash WHERE seq = @seq',
    );
    put.run({ ...r3, seq: 2 });
    put.run({ ...r2, seq: 3 });
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.seq)).toEqual(expect.arrayContaining([2, 3]));
  });

  it('reports every break, not only the first', () => {
    dropGuards();
    t.db.prepare("UPDATE audit_log SET details = '{}' WHERE seq IN (1, 4)").run();
    expect(kinds(audit.verify())).toEqual(['1:altered', '4:altered']);
  });

  it('says when the key at hand is not the one the log was written with', () => {
    const other: AuditKey = { bytes: Buffer.alloc(32, 9), isNew: false, source: 'test key' };
    const v = createAuditRepo(t.db, other).verify();
    expect(v.issues[0]?.kind).toBe('wrong-key');
    expect(v.issues[0]?.message).toContain('restore the original key');
  });

  it('records a removed head record for good when the log is opened again', () => {
    dropGuards();
    t.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    t.db.prepare('DELETE FROM audit_head').run();
    expect(kinds(audit.verify())).toEqual(['-:head-missing']);
    const reopened = createAuditRepo(t.db, { ...TEST_AUDIT_KEY, isNew: false });
    reopened.open('2024-03-02T00:00:00.000Z');
    expect(reopened.list(1)[0]?.action).toBe(HEAD_MISSING_ACTION);
    reopened.append({
      at: '2024-03-02T00:00:01.000Z',
      actor: 'alice',
      action: 'auth.login',
      target: null,
    });
    expect(kinds(reopened.verify())).toEqual(['4:head-missing']);
  });
});

describe('rows written before the chain was keyed (migration 014)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  /** The SHA-256 chain of versions before 014, written as they wrote it. */
  function writeLegacyRows(count: number): void {
    let prev = GENESIS;
    for (let i = 1; i <= count; i++) {
      const row = [prev, `2023-01-0${i}T00:00:00.000Z`, 'alice', 'patients.read', `p${i}`, '{}'];
      const hash = createHash('sha256').update(JSON.stringify(row)).digest('hex');
      t.db
        .prepare(
          'INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(row[1], row[2], row[3], row[4], row[5], prev, hash);
      prev = hash;
    }
  }

  it('seals them with a marker row when the key is new, and they still verify', () => {
    t = openTempDb(12);
    writeLegacyRows(3);
    migrate(t.db);
    const audit = createAuditRepo(t.db, TEST_AUDIT_KEY);
    audit.open('2024-01-01T00:00:00.000Z');
    audit.append({
      at: '2024-01-01T00:00:01.000Z',
      actor: 'bob',
      action: 'auth.login',
      target: null,
    });
    const [, seal] = audit.list(2);
    expect(seal).toMatchObject({
      seq: 4,
      action: SEAL_ACTION,
      details: { legacyRows: 3, legacyLastSeq: 3 },
    });
    expect(audit.verify()).toEqual({ ok: true, rows: 5, legacyRows: 3, issues: [] });
    // Opening again seals nothing more.
    createAuditRepo(t.db, { ...TEST_AUDIT_KEY, isNew: false }).open('2024-01-02T00:00:00.000Z');
    expect(audit.verify().rows).toBe(5);
  });

  it('still detects a change to a sealed row', () => {
    t = openTempDb(12);
    writeLegacyRows(3);
    migrate(t.db);
    const audit = createAuditRepo(t.db, TEST_AUDIT_KEY);
    audit.open('2024-01-01T00:00:00.000Z');
    t.db.exec('DROP TRIGGER audit_log_no_update');
    t.db.prepare("UPDATE audit_log SET target = 'p9' WHERE seq = 2").run();
    expect(kinds(audit.verify())).toEqual(['2:altered']);
  });

  it('does not seal with a key that already existed (the head was removed, not missing from the start)', () => {
    t = openTempDb(12);
    writeLegacyRows(2);
    migrate(t.db);
    const audit = createAuditRepo(t.db, { ...TEST_AUDIT_KEY, isNew: false });
    audit.open('2024-01-01T00:00:00.000Z');
    expect(audit.list(1)[0]?.action).toBe(HEAD_MISSING_ACTION);
    expect(kinds(audit.verify())).toEqual(['1:altered', '2:altered', '3:head-missing']);
  });
});
