import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 009: the outbox of clinical changes', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const insert = (entity: string, op: string, payload: string): void => {
    t.db
      .prepare(
        `INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, 'id-1', ?, ?, 't')`,
      )
      .run(entity, op, payload);
  };

  it('keeps the data written under version 8 and queues changes as pending, in order', () => {
    t = openTempDb(8);
    insertPatientChain(t.db, 1);
    migrate(t.db, { target: 9 });
    expect(countRows(t.db, 'scans')).toBe(1);
    insert('patient', 'create', '{"name":"A"}');
    insert('scan', 'delete', '{"id":"id-1"}');
    expect(t.db.prepare('SELECT id, entity, op, status FROM outbox ORDER BY id').all()).toEqual([
      { id: 1, entity: 'patient', op: 'create', status: 'pending' },
      { id: 2, entity: 'scan', op: 'delete', status: 'pending' },
    ]);
  });

  it('rejects unknown entities, operations and payloads that are not JSON', () => {
    t = openTempDb(9);
    expect(() => insert('user', 'create', '{}')).toThrow(/CHECK/);
    expect(() => insert('patient', 'upsert', '{}')).toThrow(/CHECK/);
    expect(() => insert('patient', 'create', 'not json')).toThrow(/CHECK/);
  });
});
