import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from './index.js';

describe('migration 012 (measurements)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps the outbox rows and ids while teaching it the measurement entity', () => {
    const before012 = MIGRATIONS.findIndex((m) => m.version === 12);
    t = openTempDb(before012);
    const insert = t.db.prepare(
      "INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, 'x', 'create', '{}', 't')",
    );
    insert.run('patient');
    insert.run('scan');
    expect(() => insert.run('measurement')).toThrow(/CHECK/);
    migrate(t.db);
    const rows = t.db.prepare('SELECT id, entity FROM outbox ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, entity: 'patient' },
      { id: 2, entity: 'scan' },
    ]);
    insert.run('measurement');
    // The rebuilt CHECK keeps what migration 011 taught it.
    insert.run('report');
    // AUTOINCREMENT continues after the copied ids.
    expect(t.db.prepare('SELECT MAX(id) AS id FROM outbox').get()).toEqual({ id: 4 });
    expect(t.db.pragma('foreign_key_check')).toEqual([]);
  });
});
