import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

const T = '2024-01-01T00:00:00.000Z';

describe('migration 011: report versions, site settings, reports in the outbox', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const insertReport = (
    id: string,
    fields: {
      version?: number;
      status?: string;
      signedAt?: string | null;
      amends?: string | null;
      changes?: string | null;
    } = {},
  ): void => {
    t.db
      .prepare(
        `INSERT INTO reports (id, scan_id, version, status, findings, impression, analysis_id, created_at, updated_at, signed_by, signed_at, amends, changes)
         VALUES (?, 'scan-1', ?, ?, 'Findings.', 'Impression.', 'analysis-1', ?, ?, 'rad', ?, ?, ?)`,
      )
      .run(
        id,
        fields.version ?? 1,
        fields.status ?? 'draft',
        T,
        T,
        fields.signedAt ?? null,
        fields.amends ?? null,
        fields.changes ?? null,
      );
  };

  it('keeps the outbox written under version 10, with its ids, and accepts report entries', () => {
    t = openTempDb(10);
    insertPatientChain(t.db, 1);
    const add = t.db.prepare(
      `INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, 'id-1', 'create', '{}', 't')`,
    );
    add.run('patient');
    add.run('scan');
    expect(() => add.run('report')).toThrow(/CHECK/);
    migrate(t.db, { target: 11 });
    add.run('report');
    expect(t.db.prepare('SELECT id, entity, status FROM outbox ORDER BY id').all()).toEqual([
      { id: 1, entity: 'patient', status: 'pending' },
      { id: 2, entity: 'scan', status: 'pending' },
      { id: 3, entity: 'report', status: 'pending' },
    ]);
    expect(() => add.run('user')).toThrow(/CHECK/);
    expect(countRows(t.db, 'scans')).toBe(1);
  });

  it('refuses any UPDATE of a final row, while drafts change and get signed', () => {
    t = openTempDb(11);
    insertPatientChain(t.db, 1);
    insertReport('r1');
    t.db.prepare("UPDATE reports SET impression = 'Edited.' WHERE id = 'r1'").run();
    t.db.prepare("UPDATE reports SET status = 'final', signed_at = ? WHERE id = 'r1'").run(T);
    for (const sql of [
      "UPDATE reports SET findings = 'tampered' WHERE id = 'r1'",
      "UPDATE reports SET status = 'draft', signed_at = NULL WHERE id = 'r1'",
      "UPDATE reports SET signed_by = 'someone else' WHERE id = 'r1'",
    ])
      expect(() => t.db.prepare(sql).run()).toThrow(/A signed report cannot be edited; amend it/);
    expect(t.db.prepare("SELECT impression FROM reports WHERE id = 'r1'").get()).toEqual({
      impression: 'Edited.',
    });
  });

  it('checks the versions: signatures, amendments naming what changes, one amendment each', () => {
    t = openTempDb(11);
    insertPatientChain(t.db, 1);
    // Final without a signature time, and a draft with one.
    expect(() => insertReport('x', { status: 'final' })).toThrow(/CHECK/);
    expect(() => insertReport('x', { signedAt: T })).toThrow(/CHECK/);
    insertReport('r1', { status: 'final', signedAt: T });
    // An amendment is version > 1, names the version it amends and what it changes.
    expect(() => insertReport('x', { version: 2 })).toThrow(/CHECK/);
    expect(() => insertReport('x', { version: 2, amends: 'r1' })).toThrow(/CHECK/);
    expect(() => insertReport('x', { version: 2, amends: 'r1', changes: '  ' })).toThrow(/CHECK/);
    insertReport('r2', { version: 2, amends: 'r1', changes: 'Corrected the location.' });
    expect(() =>
      insertReport('r3', { version: 3, amends: 'r1', changes: 'A second amendment of v1.' }),
    ).toThrow(/UNIQUE/);
    // Deleting the scan deletes its report.
    t.db.prepare("DELETE FROM scans WHERE id = 'scan-1'").run();
    expect(countRows(t.db, 'reports')).toBe(0);
  });

  it('stores settings as key/value strings', () => {
    t = openTempDb(11);
    t.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('clinic.name', 'Klinika', ?)")
      .run(T);
    expect(t.db.prepare('SELECT key, value FROM settings').all()).toEqual([
      { key: 'clinic.name', value: 'Klinika' },
    ]);
  });
});
