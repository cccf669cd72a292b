import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  insertUserRow,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

const insertJob = (t: TempDb, id: string, status = 'pending', progress = 0): void => {
  t.db
    .prepare(
      `INSERT INTO jobs (id, type, status, progress, payload, created_at, updated_at)
       VALUES (?, 'import.files', ?, ?, '{"paths":["/x"]}', 't', 't')`,
    )
    .run(id, status, progress);
};

describe('migration 003: jobs', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps users and the patient hierarchy written under version 2', () => {
    t = openTempDb(2);
    insertUserRow(t.db, 'u1', 'alice');
    insertPatientChain(t.db, 1);
    migrate(t.db, { target: 3 });
    expect(countRows(t.db, 'users')).toBe(1);
    for (const table of ['patients', 'studies', 'series', 'scans', 'files', 'instances'])
      expect(countRows(t.db, table), table).toBe(1);
    insertJob(t, 'j1');
    expect(
      t.db.prepare('SELECT status, attempts, max_attempts, cancel_requested FROM jobs').get(),
    ).toEqual({ status: 'pending', attempts: 0, max_attempts: 3, cancel_requested: 0 });
  });

  it('rejects an unknown status and progress outside 0..1', () => {
    t = openTempDb(3);
    expect(() => insertJob(t, 'j1', 'paused')).toThrow(/CHECK/);
    expect(() => insertJob(t, 'j2', 'processing', 1.5)).toThrow(/CHECK/);
    expect(() => insertJob(t, 'j3', 'processing', -0.1)).toThrow(/CHECK/);
    insertJob(t, 'j4', 'processing', 0.5);
    expect(() => t.db.prepare("UPDATE jobs SET progress = 'half'").run()).toThrow(
      /cannot store TEXT value in REAL column/,
    );
    expect(() => t.db.prepare('UPDATE jobs SET cancel_requested = 2').run()).toThrow(/CHECK/);
  });
});
