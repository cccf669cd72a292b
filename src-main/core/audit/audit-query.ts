import {
  REFUSED_AUDIT_ACTIONS,
  auditOutcomeOf,
  type AuditEntryView,
  type AuditFilter,
} from '../../../src-shared/contract/audit.js';
import type { Page } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Db } from '../db/connection.js';
import { toPage } from '../db/paging.js';

interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  details: string;
  hash: string;
}

/** A row as the page and the CSV show it, with the row's hash for the CSV. */
export type AuditExportRow = AuditEntryView & { hash: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows of the CSV read per query: a large trail is exported without holding it in memory. */
const EXPORT_BATCH = 1000;

/**
 * The ids the trail's rows name for a patient: the record itself, its studies (ids and Study
 * Instance UIDs, which the DICOM node's rows name), scans, reports and dental cases.
 */
const PATIENT_TARGETS = `(
  SELECT value FROM json_each(@patientIds)
  UNION SELECT id FROM studies WHERE patient_id IN (SELECT value FROM json_each(@patientIds))
  UNION SELECT study_instance_uid FROM studies
    WHERE patient_id IN (SELECT value FROM json_each(@patientIds)) AND study_instance_uid IS NOT NULL
  UNION SELECT id FROM scans WHERE patient_id IN (SELECT value FROM json_each(@patientIds))
  UNION SELECT r.id FROM reports r JOIN scans s ON s.id = r.scan_id
    WHERE s.patient_id IN (SELECT value FROM json_each(@patientIds))
  UNION SELECT id FROM dental_cases WHERE patient_id IN (SELECT value FROM json_each(@patientIds))
)`;

type Params = Record<string, string | number>;

/** An instant as the trail writes it (`clock.iso()`), so text comparison orders it right. */
function canonicalInstant(text: string): string {
  return new Date(text).toISOString();
}

function toView(r: AuditRow): AuditExportRow {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details) as Record<string, unknown>,
    outcome: auditOutcomeOf(r.action),
    hash: r.hash,
  };
}

/**
 * Reads of the audit trail for the audit page and its CSV export (the chain itself, appends and
 * verification are `audit-repo.ts`). Each filter is served by an index of migration 020.
 */
export function createAuditQuery(db: Db, hooks: { beforeRead?: () => void } = {}) {
  const beforeRead = hooks.beforeRead ?? (() => undefined);
  const patientsByMrn = db.prepare<[string], { id: string }>(
    'SELECT id FROM patients WHERE mrn = ? ORDER BY id',
  );

  /** The patient filter as record ids: a UUID as it is (a deleted record too), else an MRN. */
  function patientIdsOf(text: string): string[] {
    if (UUID.test(text)) return [text.toLowerCase()];
    const ids = patientsByMrn.all(text).map((p) => p.id);
    if (ids.length === 0)
      throw new AppError(
        'NOT_FOUND',
        `No patient has the record id or MRN "${text}". Copy the id from the patient's page, or check the MRN.`,
      );
    return ids;
  }

  function where(filter: AuditFilter): { sql: string; params: Params; patientIds: string[] } {
    const clauses: string[] = [];
    const params: Params = {};
    let patientIds: string[] = [];
    if (filter.actor !== undefined) {
      clauses.push('actor = @actor');
      params.actor = filter.actor;
    }
    if (filter.action !== undefined) {
      clauses.push('action = @action');
      params.action = filter.action;
    }
    const from = filter.from === undefined ? undefined : canonicalInstant(filter.from);
    const to = filter.to === undefined ? undefined : canonicalInstant(filter.to);
    if (from !== undefined && to !== undefined && from >= to)
      throw new AppError('INVALID_INPUT', 'The start of the date range must be before its end.');
    if (from !== undefined) {
      clauses.push('at >= @from');
      params.from = from;
    }
    if (to !== undefined) {
      clauses.push('at < @to');
      params.to = to;
    }
    if (filter.outcome !== undefined) {
      clauses.push(
        `action ${filter.outcome === 'refused' ? 'IN' : 'NOT IN'} (SELECT value FROM json_each(@refused))`,
      );
      params.refused = JSON.stringify(REFUSED_AUDIT_ACTIONS);
    }
    if (filter.patient !== undefined) {
      patientIds = patientIdsOf(filter.patient);
      clauses.push(`target IN ${PATIENT_TARGETS}`);
      params.patientIds = JSON.stringify(patientIds);
    }
    return {
      sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`,
      params,
      patientIds,
    };
  }

  function count(filter: AuditFilter): number {
    const w = where(filter);
    return (
      db
        .prepare<Params, { n: number }>(`SELECT count(*) AS n FROM audit_log ${w.sql}`)
        .get(w.params)?.n ?? 0
    );
  }

  return {
    /** One page of the rows the filter selects, newest first. */
    list(filter: AuditFilter, page: number, limit: number): Page<AuditEntryView> {
      beforeRead();
      const w = where(filter);
      const rows = db
        .prepare<Params, AuditRow>(
          `SELECT seq, at, actor, action, target, details, hash FROM audit_log ${w.sql}
           ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...w.params, limit, offset: (page - 1) * limit });
      const items = rows.map((r) => {
        const { hash: _hash, ...view } = toView(r);
        return view;
      });
      return toPage(items, count(filter), page, limit);
    },

    /** Every username and action in the trail (the indexes make these reads short). */
    options(): { actors: string[]; actions: string[] } {
      beforeRead();
      const actors = db
        .prepare<[], { actor: string }>(
          'SELECT DISTINCT actor FROM audit_log WHERE actor IS NOT NULL ORDER BY actor',
        )
        .all()
        .map((r) => r.actor);
      const actions = db
        .prepare<[], { action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action')
        .all()
        .map((r) => r.action);
      return { actors, actions };
    },

    /**
     * The rows for the CSV: how many there are now and the patient ids the filter resolved to,
     * then the rows themselves in batches, up to the last row written when the export began.
     */
    export(filter: AuditFilter): {
      rows: number;
      patientIds: string[];
      batches: () => Generator<AuditExportRow[]>;
    } {
      beforeRead();
      const w = where(filter);
      const lastSeq =
        db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM audit_log').get()
          ?.seq ?? 0;
      const rows = count(filter);
      const batch = db.prepare<Params, AuditRow>(
        `SELECT seq, at, actor, action, target, details, hash FROM audit_log
         ${w.sql === '' ? 'WHERE' : `${w.sql} AND`} seq < @before
         ORDER BY seq DESC LIMIT ${EXPORT_BATCH}`,
      );
      function* batches(): Generator<AuditExportRow[]> {
        let before = lastSeq + 1;
        for (;;) {
          // Each batch is its own query: an open iterator would keep the connection busy
          // while the download waits on the network.
          const found = batch.all({ ...w.params, before });
          if (found.length === 0) return;
          yield found.map(toView);
          before = found[found.length - 1]!.seq;
          if (found.length < EXPORT_BATCH) return;
        }
      }
      return { rows, patientIds: w.patientIds, batches };
    },
  };
}
export type AuditQuery = ReturnType<typeof createAuditQuery>;
