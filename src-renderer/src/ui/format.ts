import type { Job, Scan } from '../../../src-shared/contract/entities.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Dates from the contract: `YYYY-MM-DD` stays as is; timestamps show local date and time. */
export function formatDate(value: string | null): string {
  if (value === null || value === '') return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

function formatMm(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Matrix size (columns × rows × slices) and voxel spacing in mm where the source has one. */
export function formatDimensions(
  scan: Pick<Scan, 'rows' | 'columns' | 'slices' | 'spacing'>,
): string {
  if (scan.rows === null || scan.columns === null) return '—';
  const matrix =
    scan.slices > 1
      ? `${scan.columns} × ${scan.rows} × ${scan.slices}`
      : `${scan.columns} × ${scan.rows}`;
  if (scan.spacing === null) return matrix;
  const [column, row, slice] = scan.spacing;
  const spacing = [column, row, ...(slice === null ? [] : [slice])].map(formatMm).join(' × ');
  return `${matrix} (${spacing} mm)`;
}

export function formatPercent(progress: number): string {
  return `${Math.round(Math.min(1, Math.max(0, progress)) * 100)}%`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

const JOB_TYPE_LABELS: Record<Job['type'], string> = { 'import.files': 'Import' };

export function jobTypeLabel(type: Job['type']): string {
  return JOB_TYPE_LABELS[type];
}

/** 'processing' → 'Processing'. */
export function statusLabel(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
