import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  insertUserRow,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 002: patients, studies, series, scans, files, instances', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps users and sessions written under version 1', () => {
    t = openTempDb(1);
    insertUserRow(t.db, 'u1', 'alice');
    t.db
      .prepare(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ('h', 'u1', 'x', 'x', 'test')",
      )
      .run();
    migrate(t.db, { target: 2 });
    expect(t.db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'alice' }]);
    expect(countRows(t.db, 'sessions')).toBe(1);
  });

  it('deletes studies, series, scans, files and instances with their patient', () => {
    t = openTempDb(2);
    const kept = insertPatientChain(t.db, 1);
    const deleted = insertPatientChain(t.db, 2);
    t.db.prepare('DELETE FROM patients WHERE id = ?').run(deleted.patientId);
    for (const table of ['patients', 'studies', 'series', 'scans', 'files', 'instances'])
      expect(countRows(t.db, table), table).toBe(1);
    expect(t.db.prepare('SELECT id FROM files').get()).toEqual({ id: kept.fileId });
  });

  it('allows many patients without an MRN but never two with the same MRN', () => {
    t = openTempDb(2);
    const insert = t.db.prepare(
      "INSERT INTO patients (id, mrn, name, created_at, updated_at) VALUES (?, ?, 'X', 't', 't')",
    );
    insert.run('p1', null);
    insert.run('p2', null);
    insert.run('p3', 'MRN-1');
    expect(() => insert.run('p4', 'MRN-1')).toThrow(/UNIQUE/);
  });

  it('enforces types and allowed values (STRICT tables, CHECK constraints)', () => {
    t = openTempDb(2);
    insertPatientChain(t.db, 1);
    expect(() => t.db.prepare("UPDATE patients SET sex = 'X'").run()).toThrow(/CHECK/);
    expect(() => t.db.prepare("UPDATE scans SET status = 'lost'").run()).toThrow(/CHECK/);
    expect(() => t.db.prepare("UPDATE scans SET format = 'gif'").run()).toThrow(/CHECK/);
    expect(() => t.db.prepare("UPDATE scans SET rows = 'many'").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(() => t.db.prepare("UPDATE files SET size = 'big'").run()).toThrow(
      /cannot store TEXT value/,
    );
  });

  it('refuses a second file with the same content hash and an instance without its series', () => {
    t = openTempDb(2);
    insertPatientChain(t.db, 1);
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO files (id, sha256, size, mime_type, created_at) VALUES ('f2', ?, 1, 'x', 't')",
        )
        .run('1'.padStart(64, '0')),
    ).toThrow(/UNIQUE/);
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO instances (id, series_id, sop_instance_uid, file_id) VALUES ('i2', 'nope', '9.9', 'file-1')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
