import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate.js';
import { insertPatientChain, openTempDb, type TempDb } from '../../../test-support/temp-db.js';

const T = '2024-03-01T08:00:00.000Z';
const SHA = 'a'.repeat(64);

describe('migration 017: visualizations', () => {
  let temp: TempDb;
  afterEach(() => temp.dispose());

  it('adds the table to a database at 016, keeps a scene with its scan and drops it with it', () => {
    temp = openTempDb(16);
    const { db } = temp;
    insertPatientChain(db, 1);
    migrate(db, { target: 17 });
    const insert = db.prepare(
      `INSERT INTO visualizations (id, scan_id, quality, options, blob_sha256, size, created_at)
       VALUES (?, 'scan-1', ?, ?, ?, ?, ?)`,
    );
    insert.run('v1', 'high', '{"highlightTumor":true}', null, null, T);
    insert.run('v2', 'low', '{}', SHA, 1234, T);
    // A file without its size, an unknown quality, options that are not JSON: refused.
    expect(() => insert.run('v3', 'low', '{}', SHA, null, T)).toThrow(/CHECK/);
    expect(() => insert.run('v4', 'ultra', '{}', null, null, T)).toThrow(/CHECK/);
    expect(() => insert.run('v5', 'low', 'not json', null, null, T)).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO visualizations (id, scan_id, quality, options, created_at) VALUES ('v6', 'nope', 'low', '{}', ?)`,
        )
        .run(T),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM scans WHERE id = 'scan-1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM visualizations').get()).toEqual({ n: 0 });
  });
});
