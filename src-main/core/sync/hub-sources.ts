import type { HubAuditRow, HubRecord } from '../../../src-shared/contract/sync.js';
import type { Db } from '../db/connection.js';
import { sha256Hex } from './hub-receiver.js';

interface OutboxRow {
  id: number;
  entity: string;
  entity_id: string;
  op: 'create' | 'update' | 'delete';
  payload: string;
  created_at: string;
}

/**
 * What the hub sync reads on a workstation (read only): outbox entries and audit rows after a
 * cursor, each entry as the record version it sends (with the hash of the same record's previous
 * entry, the version it was changed from), and audit rows as they are.
 */
export function createHubSources(db: Db) {
  const byId = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
  const previous = db.prepare<[string, string, number], { payload: string }>(
    'SELECT payload FROM outbox WHERE entity = ? AND entity_id = ? AND id < ? ORDER BY id DESC LIMIT 1',
  );
  const auditRow = db.prepare<
    [number],
    {
      seq: number;
      at: string;
      actor: string | null;
      action: string;
      target: string | null;
      details: string;
      hash: string;
    }
  >('SELECT seq, at, actor, action, target, details, hash FROM audit_log WHERE seq = ?');
  return {
    outboxAfter(
      cursor: number,
      limit: number,
    ): Array<Pick<OutboxRow, 'id' | 'entity' | 'entity_id' | 'op'>> {
      return db
        .prepare<[number, number], OutboxRow>(
          'SELECT id, entity, entity_id, op FROM outbox WHERE id > ? ORDER BY id LIMIT ?',
        )
        .all(cursor, limit);
    },
    auditAfter(cursor: number, limit: number): Array<{ seq: number; action: string }> {
      return db
        .prepare<[number, number], { seq: number; action: string }>(
          'SELECT seq, action FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
        )
        .all(cursor, limit);
    },
    auditCursor(destinationId: string): number {
      return (
        db
          .prepare<[string], { c: number }>(
            'SELECT audit_cursor AS c FROM sync_destinations WHERE destination_id = ?',
          )
          .get(destinationId)?.c ?? 0
      );
    },
    setAuditCursor(destinationId: string, cursor: number): void {
      db.prepare(
        'UPDATE sync_destinations SET audit_cursor = MAX(audit_cursor, ?) WHERE destination_id = ?',
      ).run(cursor, destinationId);
    },
    /** One outbox entry as the record version the hub receives; undefined if it is gone. */
    record(outboxId: number): HubRecord | undefined {
      const row = byId.get(outboxId);
      if (row === undefined) return undefined;
      const before = previous.get(row.entity, row.entity_id, row.id);
      return {
        entity: row.entity,
        id: row.entity_id,
        op: row.op,
        version: row.id,
        changedAt: row.created_at,
        payloadJson: row.payload,
        baseHash: before === undefined ? null : sha256Hex(before.payload),
      };
    },
    audit(seq: number): HubAuditRow | undefined {
      return auditRow.get(seq);
    },
  };
}
export type HubSources = ReturnType<typeof createHubSources>;
