import type { AuditRepo } from '../audit/audit-repo.js';
import type { Db } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { ClinicalEntity, ClinicalOp, OutboxRepo } from './outbox-repo.js';

export type { ClinicalEntity, ClinicalOp } from './outbox-repo.js';

/** One record a clinical change touched, as the outbox sends it. */
export interface ClinicalChange {
  entity: ClinicalEntity;
  id: string;
  op: ClinicalOp;
  /** The record as written; a deletion carries its id alone. */
  payload?: unknown;
}

/** What a change did: its result for the caller, and what the audit log and the outbox record. */
export interface ClinicalWriteResult<T> {
  result: T;
  /** The audit entry's target (e.g. the patient's id). */
  target: string | null;
  details?: Record<string, unknown>;
  /** The records changed; none (e.g. a duplicate found at the last moment) writes no entry. */
  changes: readonly ClinicalChange[];
}

/**
 * The one write point of clinical data (patients, studies, series, scans, files, segmentations,
 * attachments, analyses): the row change, its audit entry and its outbox entries commit in one
 * transaction, or none of them does. `actor` is the user who asked for the change; work done by
 * a job is written under the user who started the job.
 *
 * `change` must be synchronous (an SQLite transaction cannot wait): store blobs before, remove
 * them after. Called inside another transaction, the write becomes a savepoint of it.
 */
export function createClinicalWriter(deps: {
  db: Db;
  audit: AuditRepo;
  outbox: OutboxRepo;
  clock: Clock;
}) {
  const run = deps.db.transaction(
    <T>(actor: string | null, action: string, change: () => ClinicalWriteResult<T>): T => {
      const written = change();
      if (written.changes.length === 0) return written.result;
      const at = deps.clock.iso();
      deps.audit.append({
        at,
        actor,
        action,
        target: written.target,
        ...(written.details !== undefined && { details: written.details }),
      });
      for (const c of written.changes) {
        deps.outbox.add({
          entity: c.entity,
          entityId: c.id,
          op: c.op,
          payload: c.op === 'delete' ? { id: c.id } : (c.payload ?? { id: c.id }),
          at,
        });
      }
      return written.result;
    },
  );
  return {
    write<T>(actor: string | null, action: string, change: () => ClinicalWriteResult<T>): T {
      // IMMEDIATE: the audit chain reads its last hash, so take the write lock before reading.
      return run.immediate(actor, action, change) as T;
    },
  };
}
export type ClinicalWriter = ReturnType<typeof createClinicalWriter>;
