import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 021: outbox sync destinations and items', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const destination = (id: string): void => {
    t.db
      .prepare(
        `INSERT INTO sync_destinations (destination_id, originals, segmentations, reports, deidentify, updated_at)
         VALUES (?, 1, 1, 1, 0, 't')`,
      )
      .run(id);
  };
  const item = (destinationId: string, sourceId: string, sop: string | null, state = 'pending') =>
    t.db
      .prepare(
        `INSERT INTO sync_items (destination_id, kind, source_id, outbox_id, order_key, label, sop_instance_uid, state, next_attempt_at, created_at)
         VALUES (?, 'original', ?, 1, 'study', 'Image 1', ?, ?, 't', 't')`,
      )
      .run(destinationId, sourceId, sop, state);

  it('keeps the data written under version 19 and adds empty sync tables', () => {
    t = openTempDb(19);
    insertPatientChain(t.db, 1);
    migrate(t.db, { target: 21 });
    expect(countRows(t.db, 'scans')).toBe(1);
    expect(countRows(t.db, 'sync_items')).toBe(0);
  });

  it('plans an item once per destination and source, and one SOP Instance UID once per destination', () => {
    t = openTempDb(21);
    destination('pacs');
    destination('other');
    item('pacs', 'file-1', '1.2.3');
    expect(() => item('pacs', 'file-1', null)).toThrow(/UNIQUE/);
    expect(() => item('pacs', 'file-2', '1.2.3')).toThrow(/UNIQUE/);
    item('other', 'file-1', '1.2.3');
    expect(() => item('pacs', 'file-3', null, 'lost')).toThrow(/CHECK/);
    // Removing a destination from the sync removes its items.
    t.db.prepare("DELETE FROM sync_destinations WHERE destination_id = 'pacs'").run();
    expect(countRows(t.db, 'sync_items')).toBe(1);
  });
});
