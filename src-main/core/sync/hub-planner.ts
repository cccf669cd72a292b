import type { Db } from '../db/connection.js';
import type { HubSources } from './hub-sources.js';
import type { NewSyncItem, SyncRepo } from './sync-repo.js';

const PAGE = 1_000;
/** Every record item of a hub shares one order group: they are sent strictly in outbox order. */
export const HUB_ORDER_KEY = 'records';

/**
 * Plans a hub destination's items: one `record` item per outbox entry (every change of every
 * clinical record is a version the hub keeps) and one `audit` item per audit row. Idempotent
 * like the PACS planner: items are unique by (destination, kind, source) and the cursors move
 * in the same transaction as the items they planned.
 */
export function planHubItems(
  db: Db,
  repo: SyncRepo,
  sources: HubSources,
  destinationId: string,
  outboxCursor: number,
  now: string,
): number {
  let added = 0;
  let cursor = outboxCursor;
  for (;;) {
    const changes = sources.outboxAfter(cursor, PAGE);
    const last = changes.at(-1);
    if (last === undefined) break;
    const items: NewSyncItem[] = changes.map((c) => ({
      destinationId,
      kind: 'record',
      sourceId: String(c.id),
      outboxId: c.id,
      orderKey: HUB_ORDER_KEY,
      label: `${c.entity} ${c.entity_id.slice(0, 8)} ${c.op}`,
    }));
    added += repo.plan(destinationId, items, last.id, now);
    cursor = last.id;
    if (changes.length < PAGE) break;
  }
  let auditCursor = sources.auditCursor(destinationId);
  for (;;) {
    const rows = sources.auditAfter(auditCursor, PAGE);
    const last = rows.at(-1);
    if (last === undefined) break;
    const items: NewSyncItem[] = rows.map((r) => ({
      destinationId,
      kind: 'audit',
      sourceId: String(r.seq),
      outboxId: 0,
      orderKey: HUB_ORDER_KEY,
      label: `audit ${r.seq} ${r.action}`,
    }));
    db.transaction(() => {
      added += repo.plan(destinationId, items, 0, now);
      sources.setAuditCursor(destinationId, last.seq);
    })();
    auditCursor = last.seq;
    if (rows.length < PAGE) break;
  }
  return added;
}
