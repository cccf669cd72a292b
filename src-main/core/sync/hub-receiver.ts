import { createHash } from 'node:crypto';
import type {
  HubAuditRow,
  HubReceiveOutput,
  HubRecord,
  HubRecordView,
} from '../../../src-shared/contract/sync.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Db } from '../db/connection.js';
import { winnerOf } from './hub-conflict-policy.js';

type Outcome = 'applied' | 'duplicate' | 'conflict';

interface VersionRow {
  seq: number;
  origin: string;
  entity: string;
  record_id: string;
  version: number;
  op: 'create' | 'update' | 'delete';
  payload: string;
  payload_hash: string;
  changed_at: string;
  outcome: Outcome;
}

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

function competing(row: VersionRow) {
  return {
    seq: row.seq,
    origin: row.origin,
    entity: row.entity,
    op: row.op,
    changedAt: row.changed_at,
    payload: JSON.parse(row.payload) as unknown,
  };
}

/**
 * The hub's side of record sync (docs/hub-sync.md): stores what a workstation sends, idempotent
 * by (origin, entity, record id, version), and answers each record applied, duplicate or
 * conflict. A batch is one transaction: it is stored whole or not at all, so a connection cut
 * before the answer only makes the retry answer "duplicate".
 */
export function createHubReceiver(db: Db) {
  const findVersion = db.prepare<[string, string, string, number], { outcome: Outcome }>(
    'SELECT outcome FROM hub_record_versions WHERE origin = ? AND entity = ? AND record_id = ? AND version = ?',
  );
  const current = db.prepare<[string, string], VersionRow & { conflict: number }>(
    `SELECT v.*, r.conflict FROM hub_records r JOIN hub_record_versions v ON v.seq = r.current_seq
     WHERE r.entity = ? AND r.record_id = ?`,
  );
  const knownHash = db.prepare<[string, string, string], { seq: number }>(
    'SELECT seq FROM hub_record_versions WHERE entity = ? AND record_id = ? AND payload_hash = ? LIMIT 1',
  );
  const insertVersion = db.prepare(
    `INSERT INTO hub_record_versions (origin, entity, record_id, version, op, payload, payload_hash,
       base_hash, changed_at, received_at, received_by, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertRecord = db.prepare(
    `INSERT INTO hub_records (entity, record_id, current_seq, conflict, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (entity, record_id) DO UPDATE SET current_seq = excluded.current_seq,
       conflict = MAX(conflict, excluded.conflict), updated_at = excluded.updated_at`,
  );
  const insertAudit = db.prepare(
    `INSERT OR IGNORE INTO hub_audit (origin, seq, at, actor, action, target, details, hash, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const originOf = db.prepare<[number], { origin: string }>(
    'SELECT origin FROM hub_record_versions WHERE seq = ?',
  );

  function receiveOne(
    origin: string,
    r: HubRecord,
    now: string,
    by: string | null,
  ): { outcome: Outcome; current: string } {
    const currentOrigin = (): string => current.get(r.entity, r.id)?.origin ?? origin;
    if (findVersion.get(origin, r.entity, r.id, r.version) !== undefined)
      return { outcome: 'duplicate', current: currentOrigin() };
    try {
      JSON.parse(r.payloadJson);
    } catch {
      throw new AppError(
        'INVALID_INPUT',
        `Record ${r.entity} ${r.id} version ${r.version}: payloadJson is not JSON.`,
      );
    }
    const hash = sha256Hex(r.payloadJson);
    const store = (outcome: Outcome): number =>
      Number(
        insertVersion.run(
          origin,
          r.entity,
          r.id,
          r.version,
          r.op,
          r.payloadJson,
          hash,
          r.baseHash,
          r.changedAt,
          now,
          by,
          outcome,
        ).lastInsertRowid,
      );
    const cur = current.get(r.entity, r.id);
    if (cur === undefined) {
      upsertRecord.run(r.entity, r.id, store('applied'), 0, now);
      return { outcome: 'applied', current: origin };
    }
    // The same content as the hub shows: nothing changes (a second copy of the same record).
    if (cur.payload_hash === hash) {
      store('duplicate');
      return { outcome: 'duplicate', current: cur.origin };
    }
    // A change made on top of the version the hub shows: it supersedes it.
    if (r.baseHash === cur.payload_hash) {
      upsertRecord.run(r.entity, r.id, store('applied'), 0, now);
      return { outcome: 'applied', current: origin };
    }
    // Content the hub already had (an older version arriving from a copy of the data).
    if (knownHash.get(r.entity, r.id, hash) !== undefined) {
      store('duplicate');
      return { outcome: 'duplicate', current: cur.origin };
    }
    // Changed concurrently on two workstations: keep both, show the policy's winner.
    const seq = store('conflict');
    const incoming = {
      seq,
      origin,
      entity: r.entity,
      op: r.op,
      changedAt: r.changedAt,
      payload: JSON.parse(r.payloadJson) as unknown,
    };
    const winner = winnerOf(competing(cur), incoming);
    upsertRecord.run(r.entity, r.id, winner.seq, 1, now);
    return { outcome: 'conflict', current: originOf.get(winner.seq)?.origin ?? origin };
  }

  return {
    receive(
      input: { origin: string; records: readonly HubRecord[]; audit: readonly HubAuditRow[] },
      now: string,
      by: string | null,
    ): HubReceiveOutput {
      return db
        .transaction(() => {
          const records = input.records.map((r) => ({
            entity: r.entity,
            id: r.id,
            version: r.version,
            ...receiveOne(input.origin, r, now, by),
          }));
          let stored = 0;
          for (const a of input.audit)
            stored += insertAudit.run(
              input.origin,
              a.seq,
              a.at,
              a.actor,
              a.action,
              a.target,
              a.details,
              a.hash,
              now,
            ).changes;
          return { records, audit: { stored, duplicate: input.audit.length - stored } };
        })
        .immediate();
    },
    records(filter: {
      conflictsOnly: boolean;
      entity?: string | undefined;
      recordId?: string | undefined;
      limit: number;
    }): HubRecordView[] {
      const rows = db
        .prepare<
          [number, string | null, string | null, string | null, string | null, number],
          VersionRow & { conflict: number }
        >(
          `SELECT v.*, r.conflict FROM hub_records r JOIN hub_record_versions v ON v.seq = r.current_seq
           WHERE (? = 0 OR r.conflict = 1) AND (? IS NULL OR r.entity = ?) AND (? IS NULL OR r.record_id = ?)
           ORDER BY r.updated_at DESC, r.record_id LIMIT ?`,
        )
        .all(
          filter.conflictsOnly ? 1 : 0,
          filter.entity ?? null,
          filter.entity ?? null,
          filter.recordId ?? null,
          filter.recordId ?? null,
          filter.limit,
        );
      const versions = db.prepare<[string, string], VersionRow>(
        'SELECT * FROM hub_record_versions WHERE entity = ? AND record_id = ? ORDER BY seq',
      );
      return rows.map((row) => ({
        entity: row.entity,
        id: row.record_id,
        conflict: row.conflict === 1,
        current: {
          origin: row.origin,
          version: row.version,
          op: row.op,
          changedAt: row.changed_at,
          payload: JSON.parse(row.payload) as unknown,
        },
        versions: versions.all(row.entity, row.record_id).map((v) => ({
          origin: v.origin,
          version: v.version,
          op: v.op,
          changedAt: v.changed_at,
          outcome: v.outcome,
          payloadHash: v.payload_hash,
        })),
      }));
    },
    /** Counts at the hub (tests and `sync status` on a hub). */
    counts(): { versions: number; records: number; conflicts: number; audit: number } {
      const n = (sql: string): number => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
      return {
        versions: n('SELECT COUNT(*) AS n FROM hub_record_versions'),
        records: n('SELECT COUNT(*) AS n FROM hub_records'),
        conflicts: n('SELECT COUNT(*) AS n FROM hub_records WHERE conflict = 1'),
        audit: n('SELECT COUNT(*) AS n FROM hub_audit'),
      };
    },
  };
}
export type HubReceiver = ReturnType<typeof createHubReceiver>;
