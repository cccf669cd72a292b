import type { ScanLabel } from '../../../../src-shared/contract/worklist.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';

const MAX_LABELS = 200;

/**
 * Names for scans (series, description, patient) by id, loaded in one call; ids the user may no
 * longer see (a deleted scan) are simply absent. Empty while loading or on failure: the callers
 * then fall back to their plain wording.
 */
export function useScanLabels(ids: readonly string[]): ReadonlyMap<string, ScanLabel> {
  const api = useApi();
  const unique = [...new Set(ids)].slice(0, MAX_LABELS);
  const key = unique.join(',');
  const labels = useAsync(
    () =>
      unique.length === 0 ? Promise.resolve([]) : api.call('worklist.scanLabels', { ids: unique }),
    // `key` stands for the ids: a new array with the same ids must not reload.
    [api, key],
  );
  return new Map((labels.data ?? []).map((label) => [label.scanId, label]));
}

/** "Series 3 · AX FLAIR (MR)". */
export function seriesText(label: ScanLabel): string {
  const series = label.seriesNumber === null ? null : `Series ${label.seriesNumber}`;
  const description = label.description ?? label.studyDescription ?? 'Untitled scan';
  const modality = label.modality === null ? '' : ` (${label.modality})`;
  return `${series === null ? '' : `${series} · `}${description}${modality}`;
}

/** "Test, Ingrid (E2E-001)", or "Unknown patient". */
export function patientText(label: ScanLabel): string {
  if (label.patientName === null) return 'Unknown patient';
  return label.patientMrn === null
    ? label.patientName
    : `${label.patientName} (${label.patientMrn})`;
}
