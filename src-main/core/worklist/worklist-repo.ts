import type { Scan } from '../../../src-shared/contract/entities.js';
import type {
  ScanLabel,
  WorklistFinding,
  WorklistListInput,
  WorklistPage,
  WorklistReport,
  WorklistSeries,
  WorklistStudy,
} from '../../../src-shared/contract/worklist.js';
import type { Db } from '../db/connection.js';
import { toPage } from '../db/paging.js';
import {
  latestReportJoin,
  MODALITY,
  REPORT_STATE,
  RESULT,
  STUDY_KEY,
  WORKLIST_FROM,
  worklistFrom,
  worklistWhere,
} from './worklist-sql.js';

interface SeriesRow {
  study_key: string;
  scan_id: string;
  study_id: string | null;
  patient_id: string | null;
  patient_name: string | null;
  patient_mrn: string | null;
  study_date: string | null;
  study_description: string | null;
  accession_number: string | null;
  series_total: number;
  series_number: number | null;
  description: string | null;
  modality: string | null;
  format: Scan['format'];
  kind: Scan['kind'];
  status: Scan['status'];
  rows: number | null;
  columns: number | null;
  slices: number;
  spacing_x: number | null;
  spacing_y: number | null;
  spacing_z: number | null;
  acquired_at: string | null;
  created_at: string;
  result: 'tumour' | 'no-tumour' | 'not-analysed' | 'not-applicable';
  forced: number;
  lesion_count: number | null;
  reason: string | null;
  largest_mm3: number | null;
  has_volume: number;
  report_state: WorklistReport['state'];
  report_id: string | null;
  report_version: number | null;
  report_signed_by: string | null;
  report_signed_at: string | null;
  study_signed: number;
  study_drafts: number;
}

// Slices: the assembled volume's depth where known, else the instance count of the series.
const SLICES = `CASE WHEN c.dim_z IS NOT NULL THEN c.dim_z
    WHEN c.series_id IS NULL THEN 1
    ELSE (SELECT COUNT(*) FROM instances i WHERE i.series_id = c.series_id) END`;

const SERIES_COLUMNS = `${STUDY_KEY} AS study_key, c.id AS scan_id, c.study_id, c.patient_id,
  p.name AS patient_name, p.mrn AS patient_mrn, COALESCE(s.study_date, c.acquired_at) AS study_date,
  s.description AS study_description, s.accession_number,
  COALESCE(t.n, 1) AS series_total,
  r.series_number, COALESCE(r.description, c.description) AS description, c.modality, c.format,
  c.kind, c.status, c.rows, c.columns, ${SLICES} AS slices, c.spacing_x, c.spacing_y, c.spacing_z,
  c.acquired_at, c.created_at, ${RESULT} AS result,
  CASE WHEN a.applicability = 'forced' THEN 1 ELSE 0 END AS forced,
  a.detection_count AS lesion_count,
  COALESCE(json_extract(a.result, '$.findings.reason'),
           json_extract(a.result, '$.applicability.reasons[0]')) AS reason,
  (SELECT MAX(json_extract(d.value, '$.metrics.volume_mm3'))
     FROM json_each(a.result, '$.findings.detections') d) AS largest_mm3,
  EXISTS (SELECT 1 FROM json_each(a.result, '$.findings.detections') d
           WHERE json_extract(d.value, '$.metrics.kind') = 'volume') AS has_volume,
  ${REPORT_STATE} AS report_state, rep.id AS report_id, rep.version AS report_version,
  rep.signed_by AS report_signed_by, rep.signed_at AS report_signed_at,
  COALESCE(t.signed, CASE WHEN rep.status = 'final' THEN 1 ELSE 0 END) AS study_signed,
  COALESCE(t.drafts, CASE WHEN rep.status = 'draft' THEN 1 ELSE 0 END) AS study_drafts`;

/**
 * How many series each study has, whether or not they match (`t.n`), and how many of them have a
 * signed or a draft newest report version (`t.signed`, `t.drafts`): one grouped pass over the
 * studies of the page (`marks`: their keys' placeholders), not a count per series row. A scan
 * without a study has no row here; its own values stand in.
 */
function studySizes(marks: string | null): string {
  const only = marks === null ? '' : `WHERE x.study_id IN (${marks})`;
  return `LEFT JOIN (SELECT x.study_id, COUNT(*) AS n,
      SUM(CASE WHEN xr.status = 'final' THEN 1 ELSE 0 END) AS signed,
      SUM(CASE WHEN xr.status = 'draft' THEN 1 ELSE 0 END) AS drafts
    FROM scans x ${latestReportJoin('xr', 'x')} ${only} GROUP BY x.study_id) t
    ON t.study_id = c.study_id`;
}

// Study-level sort keys (aggregates over the study's matching series).
const STUDY_SORTS: Record<WorklistListInput['sort'], string> = {
  createdAt: 'MAX(c.created_at)',
  acquiredAt: 'MAX(COALESCE(s.study_date, c.acquired_at))',
  patientName: 'MIN(p.name COLLATE NOCASE)',
  modality: `MIN(${MODALITY})`,
};

const NOT_APPLICABLE_FALLBACK = 'The model does not read this series.';

function findingOf(r: SeriesRow): WorklistFinding {
  switch (r.result) {
    case 'not-analysed':
    case 'no-tumour':
      return { kind: r.result };
    case 'not-applicable':
      return {
        kind: 'not-applicable',
        reason: r.reason ?? NOT_APPLICABLE_FALLBACK,
        forced: r.forced === 1,
      };
    case 'tumour':
      return {
        kind: 'tumour',
        lesionCount: r.lesion_count ?? 0,
        largestVolumeMl: r.has_volume === 1 && r.largest_mm3 !== null ? r.largest_mm3 / 1000 : null,
      };
  }
}

function reportOf(r: SeriesRow): WorklistReport {
  if (r.report_state === 'none' || r.report_id === null || r.report_version === null)
    return { state: 'none' };
  if (r.report_state === 'signed' && r.report_signed_at !== null)
    return {
      state: 'signed',
      reportId: r.report_id,
      version: r.report_version,
      signedBy: r.report_signed_by,
      signedAt: r.report_signed_at,
    };
  return { state: 'draft', reportId: r.report_id, version: r.report_version };
}

function seriesOf(r: SeriesRow): WorklistSeries {
  return {
    scanId: r.scan_id,
    seriesNumber: r.series_number,
    description: r.description,
    modality: r.modality,
    format: r.format,
    kind: r.kind,
    status: r.status,
    rows: r.rows,
    columns: r.columns,
    slices: r.slices,
    spacing:
      r.spacing_x !== null && r.spacing_y !== null ? [r.spacing_x, r.spacing_y, r.spacing_z] : null,
    acquiredAt: r.acquired_at,
    importedAt: r.created_at,
    finding: findingOf(r),
    report: reportOf(r),
  };
}

/** Groups series rows (in study order, then series order) into studies. */
function studiesOf(rows: readonly SeriesRow[], order: readonly string[]): WorklistStudy[] {
  const byKey = new Map<string, WorklistStudy>();
  for (const r of rows) {
    let study = byKey.get(r.study_key);
    if (study === undefined) {
      study = {
        key: r.study_key,
        studyId: r.study_id,
        patientId: r.patient_id,
        patientName: r.patient_name,
        patientMrn: r.patient_mrn,
        studyDate: r.study_date,
        description: r.study_description,
        accessionNumber: r.accession_number,
        importedAt: r.created_at,
        seriesTotal: r.series_total,
        reports: { signed: r.study_signed, draft: r.study_drafts },
        series: [],
      };
      byKey.set(r.study_key, study);
    }
    if (r.created_at > study.importedAt) study.importedAt = r.created_at;
    study.series.push(seriesOf(r));
  }
  return order.flatMap((key) => byKey.get(key) ?? []);
}

/**
 * The worklist: studies that have at least one series matching the filters, a page at a time,
 * each with its matching series. Filtering, sorting and paging all happen in SQL, so a page
 * costs the same with ten series or ten thousand.
 */
export function createWorklistRepo(db: Db) {
  const modalities = db.prepare<[], { m: string }>(
    `SELECT DISTINCT ${MODALITY} AS m FROM scans c ORDER BY m`,
  );
  return {
    list(q: WorklistListInput): WorklistPage {
      const where = worklistWhere(q);
      const total = (
        db
          .prepare<unknown[], { n: number }>(
            `SELECT COUNT(DISTINCT ${STUDY_KEY}) AS n ${worklistFrom(q)} ${where.sql}`,
          )
          .get(...where.params) ?? { n: 0 }
      ).n;
      const order = q.order === 'asc' ? 'ASC' : 'DESC';
      const keys = db
        .prepare<unknown[], { k: string }>(
          `SELECT ${STUDY_KEY} AS k ${worklistFrom(q)} ${where.sql} GROUP BY k
           ORDER BY ${STUDY_SORTS[q.sort]} ${order} NULLS LAST, k ${order} LIMIT ? OFFSET ?`,
        )
        .all(...where.params, q.limit, (q.page - 1) * q.limit)
        .map((row) => row.k);
      let rows: SeriesRow[] = [];
      if (keys.length > 0) {
        const marks = keys.map(() => '?').join(', ');
        const inKeys = `${STUDY_KEY} IN (${marks})`;
        const filtered = where.sql === '' ? `WHERE ${inKeys}` : `${where.sql} AND ${inKeys}`;
        rows = db
          .prepare<unknown[], SeriesRow>(
            `SELECT ${SERIES_COLUMNS} ${WORKLIST_FROM} ${studySizes(marks)} ${filtered}
             ORDER BY r.series_number NULLS LAST, c.created_at, c.id`,
          )
          .all(...keys, ...where.params, ...keys);
      }
      return {
        ...toPage(studiesOf(rows, keys), total, q.page, q.limit),
        modalities: modalities.all().map((row) => row.m),
      };
    },
    /** Names the given scans (unknown ids are left out), in the order asked. */
    labels(ids: readonly string[]): ScanLabel[] {
      if (ids.length === 0) return [];
      const rows = db
        .prepare<unknown[], SeriesRow>(
          `SELECT ${SERIES_COLUMNS} ${WORKLIST_FROM} ${studySizes(null)}
           WHERE c.id IN (${ids.map(() => '?').join(', ')})`,
        )
        .all(...ids);
      const byId = new Map(rows.map((r) => [r.scan_id, r]));
      return ids.flatMap((id) => {
        const r = byId.get(id);
        return r === undefined
          ? []
          : [
              {
                scanId: r.scan_id,
                seriesNumber: r.series_number,
                description: r.description,
                modality: r.modality ?? r.format.toUpperCase(),
                studyDescription: r.study_description,
                patientName: r.patient_name,
                patientMrn: r.patient_mrn,
                slices: r.slices,
              },
            ];
      });
    },
  };
}
export type WorklistRepo = ReturnType<typeof createWorklistRepo>;
