import { errorMessage } from './error-message.js';
import type { DicomPeer } from '../dicom-node/scu.js';
import type { Clock } from '../platform/clock.js';
import type { RateLimiter } from './rate-limiter.js';
import { materialise, type MaterialiseDeps } from './sync-materialise.js';
import type { DestinationRecord, SyncItemRecord, SyncRepo } from './sync-repo.js';
import { storeBatch, type StoreAnswer, type StoreBatchResult } from './store-batch.js';

export interface BatchDeps {
  repo: SyncRepo;
  materialise: MaterialiseDeps;
  limiter: RateLimiter;
  clock: Clock;
  timeoutMs: number;
  /** When an item that has had `attempts` tries is due again. */
  retryAt(attempts: number): string;
  onChange(): void;
}

interface Ready {
  item: SyncItemRecord;
  path: string;
  bytes: number;
  sopInstanceUid: string;
}

/**
 * How a batch goes to the PACS: C-STORE in one association, or STOW-RS in one request
 * (`stow-batch.ts`). `label` names the PACS in the items' reasons.
 */
export interface BatchSender {
  label: string;
  send(
    files: readonly { path: string; sopInstanceUid: string }[],
    onAnswer: (index: number, answer: StoreAnswer) => void,
    /** Records answers that arrived together (a STOW-RS response) in one transaction. */
    together: (record: () => void) => void,
  ): Promise<StoreBatchResult>;
}

/** The DIMSE sender: C-STORE to the peer in one association. */
export function dimseSender(
  peer: DicomPeer,
  callingAeTitle: string,
  timeoutMs: number,
): BatchSender {
  return {
    label: peer.aeTitle,
    send: (files, onAnswer) =>
      storeBatch(
        peer,
        callingAeTitle,
        files.map((f) => f.path),
        { timeoutMs, onAnswer },
      ),
  };
}

/**
 * Makes each item's object (once) and records it; what cannot be made is skipped or failed.
 * The natural keys of a batch are recorded in one transaction (one commit, not one per item).
 */
async function prepare(
  items: readonly SyncItemRecord[],
  destination: DestinationRecord,
  deps: BatchDeps,
): Promise<Ready[]> {
  const made: Ready[] = [];
  let budget = deps.limiter.batchBytes();
  for (const item of items) {
    try {
      const object = await materialise(item, destination.deidentify, deps.materialise);
      if (object.kind === 'skip') {
        deps.repo.markSkipped(item.id, object.reason);
        continue;
      }
      made.push({
        item,
        path: object.filePath,
        bytes: object.bytes,
        sopInstanceUid: object.sopInstanceUid,
      });
      budget -= object.bytes;
      if (budget <= 0) break;
    } catch (error) {
      deps.repo.markFailed(item.id, `Could not make the object to send: ${errorMessage(error)}`);
    }
  }
  const ready: Ready[] = [];
  deps.repo.inTransaction(() => {
    for (const r of made) {
      if (r.item.sopInstanceUid === null) {
        try {
          deps.repo.setMaterialised(r.item.id, r.sopInstanceUid, r.path, r.bytes);
        } catch (error) {
          // The natural key is already queued for this destination (the same instance imported
          // twice under two files): the PACS gets it once.
          if (/UNIQUE/.test(errorMessage(error))) {
            deps.repo.markSkipped(
              r.item.id,
              `SOP Instance ${r.sopInstanceUid} is already queued for this destination.`,
            );
            continue;
          }
          deps.repo.markFailed(
            r.item.id,
            `Could not make the object to send: ${errorMessage(error)}`,
          );
          continue;
        }
      }
      ready.push(r);
    }
  });
  return ready;
}

/**
 * Sends one batch of due items (one association, or one STOW-RS request). An item is `sent`
 * only once the PACS answered Success (or a warning) for it; an item without an answer, or
 * answered "out of resources", is due again after its backoff; a refusal is `failed` and waits
 * for a person.
 */
export async function sendBatch(
  items: readonly SyncItemRecord[],
  destination: DestinationRecord,
  sender: BatchSender,
  deps: BatchDeps,
): Promise<{ confirmed: number; error: string | null }> {
  const ready = await prepare(items, destination, deps);
  if (ready.length === 0) return { confirmed: 0, error: null };
  await deps.limiter.take(ready.reduce((sum, r) => sum + r.bytes, 0));
  deps.repo.markSending(ready.map((r) => r.item.id));
  const attemptsOf = (r: Ready): number => r.item.attempts + 1;
  const result = await sender.send(
    ready.map((r) => ({ path: r.path, sopInstanceUid: r.sopInstanceUid })),
    (index, answer) => {
      const r = ready[index];
      if (r === undefined) return;
      if (answer.kind === 'stored') deps.repo.markSent(r.item.id, deps.clock.iso());
      else {
        const hex = `0x${answer.status.toString(16).padStart(4, '0')}`;
        const text = `${sender.label} answered ${hex}${answer.comment === '' ? '' : ` (${answer.comment})`}`;
        if (answer.kind === 'busy')
          deps.repo.markRetry(r.item.id, text, deps.retryAt(attemptsOf(r)));
        else
          deps.repo.markFailed(
            r.item.id,
            `${text}: the PACS refused it; fix the cause, then retry.`,
          );
      }
      deps.onChange();
    },
    (record) => deps.repo.inTransaction(record),
  );
  let confirmed = 0;
  ready.forEach((r, index) => {
    if (result.answers.has(index)) confirmed++;
    else
      deps.repo.markRetry(
        r.item.id,
        result.error ?? 'No answer from the PACS.',
        deps.retryAt(attemptsOf(r)),
      );
  });
  return { confirmed, error: result.error };
}
