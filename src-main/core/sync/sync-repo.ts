import type {
  SyncDestinationConfig,
  SyncItem,
  SYNC_ITEM_KINDS,
  SYNC_ITEM_STATES,
} from '../../../src-shared/contract/sync.js';
import type { Db } from '../db/connection.js';

export type SyncItemKind = (typeof SYNC_ITEM_KINDS)[number];
export type SyncItemState = (typeof SYNC_ITEM_STATES)[number];

interface DestinationRow {
  destination_id: string;
  originals: number;
  segmentations: number;
  reports: number;
  deidentify: number;
  outbox_cursor: number;
}

interface ItemRow {
  id: number;
  destination_id: string;
  kind: SyncItemKind;
  source_id: string;
  outbox_id: number;
  order_key: string;
  label: string;
  sop_instance_uid: string | null;
  file_path: string | null;
  bytes: number | null;
  state: SyncItemState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A sync item with what the sender needs (the contract's view plus where its bytes are). */
export interface SyncItemRecord extends SyncItem {
  outboxId: number;
  orderKey: string;
  filePath: string | null;
  bytes: number | null;
}

export interface DestinationRecord extends SyncDestinationConfig {
  outboxCursor: number;
}

export interface NewSyncItem {
  destinationId: string;
  kind: SyncItemKind;
  sourceId: string;
  outboxId: number;
  orderKey: string;
  label: string;
}

function toItem(r: ItemRow): SyncItemRecord {
  return {
    id: r.id,
    destinationId: r.destination_id,
    kind: r.kind,
    sourceId: r.source_id,
    outboxId: r.outbox_id,
    orderKey: r.order_key,
    label: r.label,
    sopInstanceUid: r.sop_instance_uid,
    filePath: r.file_path,
    bytes: r.bytes,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

function toDestination(r: DestinationRow): DestinationRecord {
  return {
    destinationId: r.destination_id,
    originals: r.originals === 1,
    segmentations: r.segmentations === 1,
    reports: r.reports === 1,
    deidentify: r.deidentify === 1,
    outboxCursor: r.outbox_cursor,
  };
}

const bit = (b: boolean): number => (b ? 1 : 0);

/** All SQL of the outbox sync (tables of migration 021). */
export function createSyncRepo(db: Db) {
  const insertItem = db.prepare(
    `INSERT OR IGNORE INTO sync_items
       (destination_id, kind, source_id, outbox_id, order_key, label, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  );
  // Oldest first. An item waits while an earlier item of another kind in the same order group
  // (a study) is still pending or in flight: the PACS gets a study's images before the SEG and
  // the report that refer to them, while the images themselves go in parallel batches. A failed
  // item does not hold its group back (it needs a person).
  const due = db.prepare<[string, string, number], ItemRow>(
    `SELECT i.* FROM sync_items i
     WHERE i.destination_id = ? AND i.state = 'pending' AND i.next_attempt_at <= ?
       AND NOT EXISTS (
         SELECT 1 FROM sync_items e
         WHERE e.destination_id = i.destination_id AND e.order_key = i.order_key
           -- The two other kinds, by name: the index (migration 028) then seeks them alone.
           AND e.kind IN (CASE i.kind WHEN 'original' THEN 'segmentation' ELSE 'original' END,
                          CASE i.kind WHEN 'report' THEN 'segmentation' ELSE 'report' END)
           AND e.id < i.id AND e.state IN ('pending','sending'))
     ORDER BY i.id LIMIT ?`,
  );
  return {
    destinations(): DestinationRecord[] {
      return db
        .prepare<[], DestinationRow>('SELECT * FROM sync_destinations ORDER BY destination_id')
        .all()
        .map(toDestination);
    },
    /** Replaces the list of syncing destinations; a kept one keeps its cursor and its items. */
    setDestinations(list: readonly SyncDestinationConfig[], now: string): void {
      db.transaction(() => {
        const keep = new Set(list.map((d) => d.destinationId));
        for (const d of this.destinations())
          if (!keep.has(d.destinationId))
            db.prepare('DELETE FROM sync_destinations WHERE destination_id = ?').run(
              d.destinationId,
            );
        const upsert = db.prepare(
          `INSERT INTO sync_destinations
             (destination_id, originals, segmentations, reports, deidentify, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (destination_id) DO UPDATE SET originals = excluded.originals,
             segmentations = excluded.segmentations, reports = excluded.reports,
             deidentify = excluded.deidentify, updated_at = excluded.updated_at`,
        );
        for (const d of list)
          upsert.run(
            d.destinationId,
            bit(d.originals),
            bit(d.segmentations),
            bit(d.reports),
            bit(d.deidentify),
            now,
          );
      })();
    },
    /** Items planned from outbox entries up to `cursor`, and the cursor, in one transaction. */
    plan(
      destinationId: string,
      items: readonly NewSyncItem[],
      cursor: number,
      now: string,
    ): number {
      return db.transaction(() => {
        let added = 0;
        for (const i of items)
          added += insertItem.run(
            i.destinationId,
            i.kind,
            i.sourceId,
            i.outboxId,
            i.orderKey,
            i.label,
            now,
            now,
          ).changes;
        db.prepare(
          'UPDATE sync_destinations SET outbox_cursor = MAX(outbox_cursor, ?) WHERE destination_id = ?',
        ).run(cursor, destinationId);
        return added;
      })();
    },
    due(destinationId: string, now: string, limit: number): SyncItemRecord[] {
      return due.all(destinationId, now, limit).map(toItem);
    },
    get(id: number): SyncItemRecord | undefined {
      const row = db.prepare<[number], ItemRow>('SELECT * FROM sync_items WHERE id = ?').get(id);
      return row === undefined ? undefined : toItem(row);
    },
    list(filter: {
      destinationId?: string | undefined;
      state?: SyncItemState | undefined;
      before?: number | undefined;
      limit: number;
    }): SyncItemRecord[] {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (filter.destinationId !== undefined) {
        where.push('destination_id = ?');
        args.push(filter.destinationId);
      }
      if (filter.state !== undefined) {
        where.push('state = ?');
        args.push(filter.state);
      }
      if (filter.before !== undefined) {
        where.push('id < ?');
        args.push(filter.before);
      }
      const sql = `SELECT * FROM sync_items ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<Array<string | number>, ItemRow>(sql)
        .all(...args, filter.limit)
        .map(toItem);
    },
    counts(destinationId?: string): Record<SyncItemState, number> {
      const rows = db
        .prepare<[string | null, string | null], { state: SyncItemState; n: number }>(
          'SELECT state, COUNT(*) AS n FROM sync_items WHERE (? IS NULL OR destination_id = ?) GROUP BY state',
        )
        .all(destinationId ?? null, destinationId ?? null);
      const counts = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const r of rows) counts[r.state] = r.n;
      return counts;
    },
    nextAttemptAt(destinationId: string): string | null {
      return (
        db
          .prepare<[string], { at: string | null }>(
            "SELECT MIN(next_attempt_at) AS at FROM sync_items WHERE destination_id = ? AND state = 'pending'",
          )
          .get(destinationId)?.at ?? null
      );
    },
    /** The object to send is written: its natural key and where its bytes are. */
    setMaterialised(id: number, sopInstanceUid: string, filePath: string, bytes: number): void {
      db.prepare(
        'UPDATE sync_items SET sop_instance_uid = ?, file_path = ?, bytes = ? WHERE id = ?',
      ).run(sopInstanceUid, filePath, bytes, id);
    },
    markSending(ids: readonly number[]): void {
      const stmt = db.prepare(
        "UPDATE sync_items SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
      );
      db.transaction(() => {
        for (const id of ids) stmt.run(id);
      })();
    },
    /** Runs `work` in one transaction: answers that arrive together are committed together. */
    inTransaction(work: () => void): void {
      db.transaction(work)();
    },
    markSent(id: number, now: string): void {
      db.prepare(
        "UPDATE sync_items SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
      ).run(now, id);
    },
    /**
     * A hub destination's due items, strictly in order: the oldest waiting items, up to the first
     * one still in its backoff wait or in flight (record versions must reach the hub in the order
     * they were made: a patient before its scan, a draft before its signing).
     */
    dueInOrder(destinationId: string, now: string, limit: number): SyncItemRecord[] {
      const rows = db
        .prepare<[string, number], ItemRow>(
          `SELECT * FROM sync_items WHERE destination_id = ? AND state IN ('pending','sending')
           ORDER BY id LIMIT ?`,
        )
        .all(destinationId, limit);
      const due: SyncItemRecord[] = [];
      for (const r of rows) {
        if (r.state !== 'pending' || r.next_attempt_at > now) break;
        due.push(toItem(r));
      }
      return due;
    },
    /** Sent, with a note kept for the sync page (a conflict the hub recorded). */
    markSentWithNote(id: number, now: string, note: string | null): void {
      db.prepare(
        "UPDATE sync_items SET state = 'sent', sent_at = ?, last_error = ? WHERE id = ?",
      ).run(now, note, id);
    },
    /** Back to pending, due at `nextAttemptAt` (a transient failure: network, PACS busy). */
    markRetry(id: number, error: string, nextAttemptAt: string): void {
      db.prepare(
        "UPDATE sync_items SET state = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?",
      ).run(error, nextAttemptAt, id);
    },
    /** Needs a person: the PACS refused the object, or it could not be made. */
    markFailed(id: number, error: string): void {
      db.prepare("UPDATE sync_items SET state = 'failed', last_error = ? WHERE id = ?").run(
        error,
        id,
      );
    },
    markSkipped(id: number, reason: string): void {
      db.prepare("UPDATE sync_items SET state = 'skipped', last_error = ? WHERE id = ?").run(
        reason,
        id,
      );
    },
    /**
     * After a crash, items left 'sending' go back to pending: they are sent again with the same
     * SOP Instance UID, which the PACS keeps once.
     */
    recoverInFlight(now: string): number {
      return db
        .prepare(
          "UPDATE sync_items SET state = 'pending', next_attempt_at = ? WHERE state = 'sending'",
        )
        .run(now).changes;
    },
    /** Failed items (one, or of a destination, or all) back to pending, due now. */
    retry(
      filter: { itemId?: number | undefined; destinationId?: string | undefined },
      now: string,
    ) {
      return db
        .prepare(
          `UPDATE sync_items SET state = 'pending', attempts = 0, next_attempt_at = ?
           WHERE state = 'failed' AND (? IS NULL OR id = ?) AND (? IS NULL OR destination_id = ?)`,
        )
        .run(
          now,
          filter.itemId ?? null,
          filter.itemId ?? null,
          filter.destinationId ?? null,
          filter.destinationId ?? null,
        ).changes;
    },
    /** Every pending item due now (`sync run`: do not wait for the backoff). */
    dueNow(now: string): number {
      return db
        .prepare("UPDATE sync_items SET next_attempt_at = ? WHERE state = 'pending'")
        .run(now).changes;
    },
  };
}
export type SyncRepo = ReturnType<typeof createSyncRepo>;
