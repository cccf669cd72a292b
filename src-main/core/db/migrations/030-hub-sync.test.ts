import { afterEach, describe, expect, it } from 'vitest';
import { countRows, openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from './index.js';

/** How many migrations come before 030 (its place in the list, whatever lands before it). */
const BEFORE_030 = MIGRATIONS.findIndex((m) => m.version === 30);

describe('migration 030: record sync to a hub', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const user = (id: string, role: string) =>
    t.db
      .prepare(
        "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'X', ?, 'h', 't0', 't1')",
      )
      .run(id, id, role);

  it('keeps accounts and PACS sync items, and adds the workstation role and the hub kinds', () => {
    t = openTempDb(BEFORE_030);
    user('u1', 'radiologist');
    expect(() => user('u2', 'workstation')).toThrow(/CHECK/);
    t.db
      .prepare(
        `INSERT INTO sync_destinations (destination_id, originals, segmentations, reports, deidentify, updated_at)
         VALUES ('pacs', 1, 1, 1, 0, 't')`,
      )
      .run();
    t.db
      .prepare(
        `INSERT INTO sync_items (destination_id, kind, source_id, outbox_id, order_key, label, sop_instance_uid, state, next_attempt_at, created_at)
         VALUES ('pacs', 'original', 'f1', 1, 'study', 'Image 1', '1.2.3', 'sent', 't', 't')`,
      )
      .run();
    migrate(t.db);
    expect(countRows(t.db, 'users')).toBe(1);
    expect(countRows(t.db, 'sync_items')).toBe(1);
    user('u2', 'workstation');
    t.db
      .prepare(
        `INSERT INTO sync_items (destination_id, kind, source_id, outbox_id, order_key, label, state, next_attempt_at, created_at)
         VALUES ('pacs', 'record', '1', 1, 'records', 'patient', 'pending', 't', 't')`,
      )
      .run();
    expect(
      t.db
        .prepare("SELECT audit_cursor AS c FROM sync_destinations WHERE destination_id = 'pacs'")
        .get(),
    ).toEqual({ c: 0 });
    t.db
      .prepare(
        "INSERT INTO hub_audit (origin, seq, at, action, details, hash, received_at) VALUES ('ws-a', 1, 't', 'x', '{}', 'h', 't')",
      )
      .run();
    expect(() => t.db.prepare('DELETE FROM hub_audit').run()).toThrow(/append-only/);
  });
});
