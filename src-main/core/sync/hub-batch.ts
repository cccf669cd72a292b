import type { HubAuditRow, HubDestination, HubRecord } from '../../../src-shared/contract/sync.js';
import type { Clock } from '../platform/clock.js';
import { errorMessage } from './error-message.js';
import { HubError, type HubClient } from './hub-client.js';
import type { HubSources } from './hub-sources.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SyncItemRecord, SyncRepo } from './sync-repo.js';

const MAX_BATCH_BYTES = 512 * 1024;

export interface HubBatchDeps {
  repo: SyncRepo;
  sources: HubSources;
  limiter: RateLimiter;
  clock: Clock;
  retryAt(attempts: number): string;
  onChange(): void;
}

/**
 * Sends one batch of a hub destination's due items in one request. The hub stores a batch in
 * one transaction and answers each record, so every item of a batch is either confirmed or
 * due again; a retry of an unanswered batch is answered "duplicate" for what the hub already has.
 */
export async function sendHubBatch(
  items: readonly SyncItemRecord[],
  hub: HubDestination,
  client: HubClient,
  deps: HubBatchDeps,
): Promise<{ confirmed: number; error: string | null }> {
  const records: Array<{ item: SyncItemRecord; record: HubRecord }> = [];
  const audit: Array<{ item: SyncItemRecord; row: HubAuditRow }> = [];
  // Under the hub's JSON body limit (1 MiB), and about a second's worth at the bandwidth limit.
  let budget = Math.min(deps.limiter.batchBytes(), MAX_BATCH_BYTES);
  for (const item of items) {
    const source = Number(item.sourceId);
    if (item.kind === 'record') {
      const record = deps.sources.record(source);
      if (record === undefined) deps.repo.markSkipped(item.id, 'The outbox entry is gone.');
      else {
        records.push({ item, record });
        budget -= record.payloadJson.length + 200;
      }
    } else if (item.kind === 'audit') {
      const row = deps.sources.audit(source);
      if (row === undefined) deps.repo.markSkipped(item.id, 'The audit row is gone.');
      else {
        audit.push({ item, row });
        budget -= row.details.length + 200;
      }
    } else deps.repo.markSkipped(item.id, `A hub does not take ${item.kind} items.`);
    if (budget <= 0) break;
  }
  const all = [...records.map((r) => r.item), ...audit.map((a) => a.item)];
  if (all.length === 0) return { confirmed: 0, error: null };
  const body = {
    origin: hub.workstation,
    records: records.map((r) => r.record),
    audit: audit.map((a) => a.row),
  };
  await deps.limiter.take(Buffer.byteLength(JSON.stringify(body)));
  deps.repo.markSending(all.map((i) => i.id));
  try {
    const answer = await client.send(body);
    const now = deps.clock.iso();
    records.forEach((r, index) => {
      const a = answer.records[index];
      const note =
        a?.outcome === 'conflict'
          ? `Conflict at the hub: changed on another workstation too; both kept, the hub shows ${a.current}'s version.`
          : null;
      deps.repo.markSentWithNote(r.item.id, now, note);
    });
    for (const a of audit) deps.repo.markSent(a.item.id, now);
    deps.onChange();
    return { confirmed: all.length, error: null };
  } catch (error) {
    const message = errorMessage(error);
    const transient = !(error instanceof HubError) || error.transient;
    for (const item of all) {
      if (transient) deps.repo.markRetry(item.id, message, deps.retryAt(item.attempts + 1));
      else deps.repo.markFailed(item.id, `${message}: fix it, then retry.`);
    }
    deps.onChange();
    return { confirmed: 0, error: message };
  }
}
