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

const JOB_TYPE_LABELS: Record<Job['type'], string> = {
  'import.files': 'Import',
  'analysis.run': 'Analysis',
  'visualization.build': 'HTML scene',
  'reading.run': 'X-ray reading',
  'voice.transcribe': 'Voice caption',
};

export function jobTypeLabel(type: Job['type']): string {
  return JOB_TYPE_LABELS[type];
}

/** 'processing' → 'Processing'. */
export function statusLabel(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** 1536 → "1.5 KB": sizes in the units people read (powers of 1024, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** 0 → "today", 1 → "yesterday", n → "n days ago". */
export function formatDaysAgo(days: number | null): string {
  if (days === null) return '';
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** "3 files", "1 file". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * The file counts of an import job, from its stage ("Importing file 3 of 10"): the import
 * reports them in words, and the jobs list shows them as numbers.
 */
export function fileCountsOf(stage: string | null): { done: number; total: number } | null {
  const match = /(\d+)\s+of\s+(\d+)/.exec(stage ?? '');
  if (match === null) return null;
  return { done: Number(match[1]), total: Number(match[2]) };
}

/** A person's age in whole years on `today` from a YYYY-MM-DD birth date. */
export function ageOn(birthDate: string | null, today: Date): number | null {
  if (birthDate === null) return null;
  const [year, month, day] = birthDate.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return null;
  let age = today.getFullYear() - year;
  const beforeBirthday =
    today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day);
  if (beforeBirthday) age--;
  return age >= 0 ? age : null;
}

const SEX_LABELS = { M: 'Male', F: 'Female', O: 'Other' } as const;

export function sexLabel(sex: 'M' | 'F' | 'O' | null): string {
  return sex === null ? '—' : SEX_LABELS[sex];
}
