import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from './index.js';

describe('migration 019 (dental)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps the outbox rows and ids while teaching it the dental entities', () => {
    const before019 = MIGRATIONS.findIndex((m) => m.version === 19);
    t = openTempDb(before019);
    const insert = t.db.prepare(
      "INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, 'x', 'create', '{}', 't')",
    );
    insert.run('patient');
    insert.run('measurement');
    expect(() => insert.run('dental_case')).toThrow(/CHECK/);
    migrate(t.db);
    expect(t.db.prepare('SELECT id, entity FROM outbox ORDER BY id').all()).toEqual([
      { id: 1, entity: 'patient' },
      { id: 2, entity: 'measurement' },
    ]);
    for (const entity of ['dental_folder', 'dental_case', 'dental_file', 'dental_caption'])
      insert.run(entity);
    // The rebuilt CHECK keeps what earlier migrations taught it, and still refuses the unknown.
    insert.run('report');
    expect(() => insert.run('dental_panorama')).toThrow(/CHECK/);
    expect(t.db.prepare('SELECT MAX(id) AS id FROM outbox').get()).toEqual({ id: 7 });
    expect(t.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('refuses a second STL of the same role in a case and a caption of an unknown modality', () => {
    t = openTempDb();
    const at = '2026-12-02T17:00:00.000Z';
    t.db
      .prepare(
        "INSERT INTO dental_cases (id, name, created_at, updated_at) VALUES ('c', 'A', ?, ?)",
      )
      .run(at, at);
    const stl = t.db.prepare(
      "INSERT INTO dental_files (id, case_id, role, file_name, sha256, size, triangle_count, stl_format, created_at) VALUES (?, 'c', 'upper', 'u.stl', 'h', 1, 1, 'binary', ?)",
    );
    stl.run('f1', at);
    expect(() => stl.run('f2', at)).toThrow(/UNIQUE/);
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO dental_captions (id, case_id, modality, text, author, created_at, updated_at) VALUES ('k', 'c', 'panoramic', 't', 'a', ?, ?)",
        )
        .run(at, at),
    ).toThrow(/CHECK/);
  });
});
