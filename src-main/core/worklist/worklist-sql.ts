import type { WorklistListInput } from '../../../src-shared/contract/worklist.js';
import { likePattern } from '../db/paging.js';

/**
 * The rows every worklist query reads: one per scan (series), with its patient, study, series and
 * latest analysis. A scan without a study (a picture, a NIfTI volume) is a study of its own.
 */
const SCAN_JOINS = `FROM scans c
  LEFT JOIN patients p ON p.id = c.patient_id
  LEFT JOIN studies s ON s.id = c.study_id
  LEFT JOIN series r ON r.id = c.series_id`;
const LATEST_ANALYSIS = `LEFT JOIN analyses a ON a.id = (SELECT b.id FROM analyses b WHERE b.scan_id = c.id
                                   ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)`;
/** The newest version of a scan's report (the unique (scan_id, version) index finds it). */
export function latestReportJoin(alias: string, scan: string): string {
  return `LEFT JOIN reports ${alias} ON ${alias}.id = (SELECT q.id FROM reports q
    WHERE q.scan_id = ${scan}.id ORDER BY q.version DESC LIMIT 1)`;
}
const LATEST_REPORT = latestReportJoin('rep', 'c');
export const WORKLIST_FROM = `${SCAN_JOINS}
  ${LATEST_ANALYSIS}
  ${LATEST_REPORT}`;

/**
 * The FROM of a query that only counts or pages studies, with only the joins its filters and sort
 * read: the latest analysis (one correlated search per scan, the bulk of the cost) only for the
 * result filter, the newest report version only for the report filter; patient, study and series
 * only for a search or a sort by name or study date.
 */
export function worklistFrom(
  q: Pick<WorklistListInput, 'result' | 'report' | 'search' | 'sort'>,
): string {
  const needsNames =
    (q.search ?? '').trim() !== '' || q.sort === 'patientName' || q.sort === 'acquiredAt';
  return [
    'FROM scans c',
    ...(needsNames
      ? [
          'LEFT JOIN patients p ON p.id = c.patient_id',
          'LEFT JOIN studies s ON s.id = c.study_id',
          'LEFT JOIN series r ON r.id = c.series_id',
        ]
      : []),
    ...(q.result === undefined ? [] : [LATEST_ANALYSIS]),
    ...(q.report === undefined ? [] : [LATEST_REPORT]),
  ].join('\n  ');
}

/** The study a scan belongs to in the worklist. */
export const STUDY_KEY = 'COALESCE(c.study_id, c.id)';

/** What the modality column shows and the modality filter matches: DICOM's, else the format. */
export const MODALITY = 'COALESCE(c.modality, UPPER(c.format))';

/**
 * The result category of the latest analysis. A run forced on an input the model does not read
 * counts as not applicable: its lesions say nothing reliable about the patient.
 */
export const RESULT = `CASE WHEN a.id IS NULL THEN 'not-analysed'
  WHEN a.applicability IN ('not-applicable', 'forced') THEN 'not-applicable'
  WHEN a.tumor_detected = 1 THEN 'tumour' ELSE 'no-tumour' END`;

/** The report state of a series: that of its newest report version ('rep'), or none. */
export const REPORT_STATE = `CASE WHEN rep.id IS NULL THEN 'none'
  WHEN rep.status = 'final' THEN 'signed' ELSE 'draft' END`;

/** The fields a search word may be found in. */
const SEARCHED = [
  'p.name',
  'p.mrn',
  's.description',
  's.accession_number',
  'r.description',
  'c.description',
  MODALITY,
];
const MAX_SEARCH_WORDS = 8;

export interface WhereClause {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * Each word of the search must appear in one of the searched fields (any order, any field), so
 * "brain flair" finds the FLAIR series of an "MRI BRAIN" study. Words are bound parameters with
 * LIKE wildcards escaped; SQLite's LIKE ignores ASCII case.
 */
export function searchClause(search: string | undefined): WhereClause | null {
  const words = (search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return null;
  const oneWord = `(${SEARCHED.map((field) => `${field} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
  return {
    sql: words.map(() => oneWord).join(' AND '),
    params: words.flatMap((word) => SEARCHED.map(() => likePattern(word))),
  };
}

/** The filters of a worklist query, as one WHERE over WORKLIST_FROM ('' when there is none). */
export function worklistWhere(
  q: Pick<
    WorklistListInput,
    'search' | 'modality' | 'result' | 'report' | 'status' | 'from' | 'to'
  >,
): WhereClause {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const search = searchClause(q.search);
  if (search !== null) {
    clauses.push(search.sql);
    params.push(...search.params);
  }
  if (q.modality !== undefined && q.modality.trim() !== '') {
    clauses.push(`${MODALITY} = ? COLLATE NOCASE`);
    params.push(q.modality.trim());
  }
  if (q.result !== undefined) {
    clauses.push(`(${RESULT}) = ?`);
    params.push(q.result);
  }
  if (q.report !== undefined) {
    clauses.push(`(${REPORT_STATE}) = ?`);
    params.push(q.report);
  }
  if (q.status !== undefined) {
    clauses.push('c.status = ?');
    params.push(q.status);
  }
  // The date range applies to the acquisition date where known, else to the import date.
  if (q.from !== undefined) {
    clauses.push('COALESCE(c.acquired_at, substr(c.created_at, 1, 10)) >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    clauses.push('COALESCE(c.acquired_at, substr(c.created_at, 1, 10)) <= ?');
    params.push(q.to);
  }
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
