import type {
  WorklistFinding,
  WorklistSeries,
  WorklistStudy,
} from '../../../../src-shared/contract/worklist.js';
import { preferredSeriesOf } from '../viewer/hanging-protocol.js';

/** A row of the worklist as shown: a study, or one of its series when the study is expanded. */
export type WorklistRow =
  | { readonly kind: 'study'; readonly study: WorklistStudy }
  | { readonly kind: 'series'; readonly study: WorklistStudy; readonly series: WorklistSeries };

/** The rows on screen, in order: each study, then its series when it is expanded. */
export function visibleRows(
  studies: readonly WorklistStudy[],
  expanded: ReadonlySet<string>,
): WorklistRow[] {
  return studies.flatMap((study): WorklistRow[] => [
    { kind: 'study', study },
    ...(expanded.has(study.key)
      ? study.series.map((series): WorklistRow => ({ kind: 'series', study, series }))
      : []),
  ]);
}

/** What a key does in the study tree. */
export type TreeKeyAction =
  | { readonly kind: 'expand'; readonly key: string }
  | { readonly kind: 'collapse'; readonly key: string; readonly select: number }
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'none' };

/**
 * Right and Left on the tree, as in a file tree: Right expands a study (on an expanded one, steps
 * to its first series); Left collapses it, or from a series goes back to its study.
 */
export function treeKeyAction(
  key: string,
  rows: readonly WorklistRow[],
  selected: number,
): TreeKeyAction {
  const row = rows[selected];
  if (row === undefined) return { kind: 'none' };
  if (key === 'ArrowRight') {
    if (row.kind === 'series') return { kind: 'none' };
    const next = rows[selected + 1];
    if (next?.kind === 'series' && next.study.key === row.study.key)
      return { kind: 'select', index: selected + 1 };
    return row.study.series.length > 0 ? { kind: 'expand', key: row.study.key } : { kind: 'none' };
  }
  if (key === 'ArrowLeft') {
    const studyIndex = rows.findIndex((r) => r.kind === 'study' && r.study.key === row.study.key);
    if (row.kind === 'series') return { kind: 'select', index: studyIndex };
    const next = rows[selected + 1];
    return next?.kind === 'series' && next.study.key === row.study.key
      ? { kind: 'collapse', key: row.study.key, select: studyIndex }
      : { kind: 'none' };
  }
  return { kind: 'none' };
}

/**
 * The series a study opens, by the hanging protocol: the FLAIR of a brain MR study (axial first),
 * else its first series by number. Only the series shown (matching the filters) are candidates.
 */
export function studySeriesToOpen(study: WorklistStudy): WorklistSeries | null {
  return preferredSeriesOf(study.series);
}

/** The scan a row opens: a series opens itself; a study opens its preferred series. */
export function scanToOpen(row: WorklistRow): string | null {
  return row.kind === 'series' ? row.series.scanId : (studySeriesToOpen(row.study)?.scanId ?? null);
}

function formatMl(ml: number): string {
  return ml >= 10 ? ml.toFixed(1) : ml.toFixed(2);
}

/** The AI finding in a few words, and the longer explanation for the hover title. */
export function findingText(
  finding: WorklistFinding,
  status: WorklistSeries['status'],
): { text: string; title: string | null } {
  if (finding.kind === 'not-analysed')
    return status === 'processing' || status === 'queued'
      ? { text: 'Analysing…', title: null }
      : status === 'failed'
        ? { text: 'Analysis failed', title: 'Open the scan to see why and to try again.' }
        : { text: 'Not analysed', title: null };
  if (finding.kind === 'not-applicable')
    return {
      text: 'Not applicable',
      title: finding.forced
        ? `${finding.reason} It was analysed anyway on request; that result is not counted.`
        : finding.reason,
    };
  if (finding.kind === 'no-tumour') return { text: 'No tumour', title: null };
  const lesions = finding.lesionCount === 1 ? '1 lesion' : `${finding.lesionCount} lesions`;
  return {
    text:
      finding.largestVolumeMl === null
        ? lesions
        : `${lesions} · largest ${formatMl(finding.largestVolumeMl)} mL`,
    title: null,
  };
}

/**
 * A study's finding: a tumour where any series shows one (that of the series with the largest
 * lesion), else no
 * tumour where any series was read, else not applicable where a series was refused, else not
 * analysed.
 */
export function studyFinding(study: WorklistStudy): WorklistFinding {
  const findings = study.series.map((s) => s.finding);
  const tumours = findings.flatMap((f) => (f.kind === 'tumour' ? [f] : []));
  if (tumours.length > 0) {
    return tumours.reduce((best, f) =>
      (f.largestVolumeMl ?? -1) > (best.largestVolumeMl ?? -1) ? f : best,
    );
  }
  if (findings.some((f) => f.kind === 'no-tumour')) return { kind: 'no-tumour' };
  const refused = findings.find((f) => f.kind === 'not-applicable');
  if (refused !== undefined) return refused;
  return { kind: 'not-analysed' };
}

/** Modalities of the study's series, once each, in series order ("MR", "CT", "PNG"). */
export function studyModalities(study: WorklistStudy): string {
  return [...new Set(study.series.map((s) => s.modality ?? s.format.toUpperCase()))].join(', ');
}

/** A study is being analysed while any of its series is; else it shows its first series' status. */
export function studyStatus(study: WorklistStudy): WorklistSeries['status'] {
  const statuses = study.series.map((s) => s.status);
  if (statuses.includes('processing')) return 'processing';
  if (statuses.includes('queued')) return 'queued';
  if (statuses.includes('failed')) return 'failed';
  return statuses[0] ?? 'imported';
}
