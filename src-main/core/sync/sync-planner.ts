import type { DestinationRecord, NewSyncItem, SyncRepo } from './sync-repo.js';
import type { OutboxChange, SyncSources } from './sync-sources.js';

const PAGE = 1_000;

/** A report's outbox entry that makes it final: its signing (or a version written final). */
function isSigning(change: OutboxChange): boolean {
  if (change.entity !== 'report' || change.op === 'delete') return false;
  try {
    return (JSON.parse(change.payload) as { status?: unknown }).status === 'final';
  } catch {
    return false;
  }
}

/** The item one outbox entry asks of a destination, or null when it asks nothing of it. */
function itemOf(
  change: OutboxChange,
  destination: DestinationRecord,
  sources: SyncSources,
): NewSyncItem | null {
  const base = { destinationId: destination.destinationId, outboxId: change.id };
  if (change.entity === 'file' && change.op === 'create' && destination.originals) {
    const source = sources.original(change.entityId);
    return source === undefined
      ? null
      : {
          ...base,
          kind: 'original',
          sourceId: source.fileId,
          orderKey: source.orderKey,
          label: source.label,
        };
  }
  if (change.entity === 'analysis' && change.op === 'create' && destination.segmentations) {
    const source = sources.analysis(change.entityId);
    return source === undefined || !source.hasMask
      ? null
      : {
          ...base,
          kind: 'segmentation',
          sourceId: source.analysisId,
          orderKey: source.orderKey,
          label: source.label,
        };
  }
  if (isSigning(change) && destination.reports) {
    const source = sources.report(change.entityId);
    return source === undefined
      ? null
      : {
          ...base,
          kind: 'report',
          sourceId: source.reportId,
          orderKey: source.orderKey,
          label: source.label,
        };
  }
  return null;
}

/**
 * Turns the outbox entries after each destination's cursor into sync items. Idempotent: an
 * item is unique by (destination, kind, source), and the cursor moves in the same transaction
 * as the items, so a crash between pages plans nothing twice and misses nothing.
 * Deletions are not planned: a PACS is the archive of record (docs/sync.md).
 */
export function planSyncItems(
  repo: SyncRepo,
  sources: SyncSources,
  now: string,
  /** Destinations planned elsewhere (hubs: docs/hub-sync.md). */
  skip: (destinationId: string) => boolean = () => false,
): number {
  let added = 0;
  for (const destination of repo.destinations()) {
    if (skip(destination.destinationId)) continue;
    let cursor = destination.outboxCursor;
    for (;;) {
      const changes = sources.outboxAfter(cursor, PAGE);
      const last = changes.at(-1);
      if (last === undefined) break;
      const items = changes
        .map((c) => itemOf(c, destination, sources))
        .filter((i): i is NewSyncItem => i !== null);
      added += repo.plan(destination.destinationId, items, last.id, now);
      cursor = last.id;
      if (changes.length < PAGE) break;
    }
  }
  return added;
}
