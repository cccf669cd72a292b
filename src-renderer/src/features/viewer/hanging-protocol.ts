import type { Scan } from '../../../../src-shared/contract/entities.js';

/** The kinds of series a brain study is read by. */
export type SeriesKind = 'FLAIR' | 'T1C' | 'T1' | 'T2' | 'DWI' | 'SWI' | 'CT';

/** What kind of series a description names ("AX T2 FLAIR" → FLAIR), or null when it says none. */
export function seriesKindOf(scan: Pick<Scan, 'modality' | 'description'>): SeriesKind | null {
  if (scan.modality === 'CT') return 'CT';
  const text = (scan.description ?? '').toLowerCase();
  if (/flair|\bdark[\s_-]?fluid/.test(text)) return 'FLAIR';
  if (/\bt1\w*.*(\+\s*c\b|post|gad|\bgd\b|\bce\b|contrast)|t1ce|t1c\b|t1gd/.test(text))
    return 'T1C';
  if (/\bt1|mprage|spgr|bravo/.test(text)) return 'T1';
  if (/\bt2\*|\bswi|swan|\bgre\b|hemo/.test(text)) return 'SWI';
  if (/\bt2/.test(text)) return 'T2';
  if (/dwi|diffusion|\badc\b|trace/.test(text)) return 'DWI';
  return null;
}

function dateOf(scan: Pick<Scan, 'acquiredAt' | 'createdAt'>): string {
  return scan.acquiredAt ?? scan.createdAt.slice(0, 10);
}

/**
 * The series to open first when a study is opened: for a brain MR study, its FLAIR (axial if
 * there are several; the one with most slices next), since that is where tumours and oedema are
 * read first; otherwise the first series given. Null for an empty study.
 */
export function preferredSeriesOf<T extends Pick<Scan, 'modality' | 'description' | 'slices'>>(
  series: readonly T[],
): T | null {
  const flair = series
    .filter((s) => s.modality === 'MR' && seriesKindOf(s) === 'FLAIR')
    .sort(
      (a, b) =>
        Number(/\bax/i.test(b.description ?? '')) - Number(/\bax/i.test(a.description ?? '')) ||
        b.slices - a.slices,
    );
  return flair[0] ?? series[0] ?? null;
}

/**
 * The most recent earlier series of the same patient and the same kind (FLAIR with FLAIR, CT
 * with CT) from another study: what a reader compares a follow-up with. Null when there is none.
 */
export function priorOf<T extends Scan>(scan: Scan, candidates: readonly T[]): T | null {
  const kind = seriesKindOf(scan);
  const date = dateOf(scan);
  const sameKind = (other: Scan): boolean =>
    kind !== null
      ? seriesKindOf(other) === kind
      : other.description !== null && other.description === scan.description;
  const priors = candidates
    .filter(
      (other) =>
        other.id !== scan.id &&
        other.patientId !== null &&
        other.patientId === scan.patientId &&
        other.modality === scan.modality &&
        (other.studyId === null || other.studyId !== scan.studyId) &&
        dateOf(other) < date &&
        sameKind(other),
    )
    .sort((a, b) => (dateOf(a) < dateOf(b) ? 1 : -1));
  return priors[0] ?? null;
}
