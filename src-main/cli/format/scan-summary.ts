import type { Scan } from '../../../src-shared/contract/entities.js';

/** One scan as the CLI prints it in --json: the fields scripts need, grouped. */
export interface ScanSummary {
  id: string;
  patient: { id: string | null; name: string | null; mrn: string | null } | null;
  kind: Scan['kind'];
  format: Scan['format'];
  modality: string | null;
  description: string | null;
  status: Scan['status'];
  dimensions: { rows: number | null; columns: number | null; slices: number };
  /** Voxel spacing in mm, [x (column), y (row), z (slice)]; null where the source has none. */
  spacing: [number, number, number | null] | null;
  studyId: string | null;
  seriesId: string | null;
  acquiredAt: string | null;
  createdAt: string;
}

export function toScanSummary(scan: Scan): ScanSummary {
  const hasPatient = scan.patientId !== null || scan.patientName !== null;
  return {
    id: scan.id,
    patient: hasPatient
      ? { id: scan.patientId, name: scan.patientName, mrn: scan.patientMrn }
      : null,
    kind: scan.kind,
    format: scan.format,
    modality: scan.modality,
    description: scan.description,
    status: scan.status,
    dimensions: { rows: scan.rows, columns: scan.columns, slices: scan.slices },
    spacing: scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1], scan.spacing[2]],
    studyId: scan.studyId,
    seriesId: scan.seriesId,
    acquiredAt: scan.acquiredAt,
    createdAt: scan.createdAt,
  };
}

/** "256×256×24" (columns × rows × slices), with "?" for what is unknown. */
export function formatDimensions(scan: Scan): string {
  return `${scan.columns ?? '?'}×${scan.rows ?? '?'}×${scan.slices}`;
}

function millimetres(value: number): string {
  return Number(value.toFixed(3)).toString();
}

/** "0.8×0.9×5 mm", "0.8×0.9×? mm", or "-" for pictures without spacing. */
export function formatSpacing(spacing: Scan['spacing']): string {
  if (spacing === null) return '-';
  const [x, y, z] = spacing;
  return `${millimetres(x)}×${millimetres(y)}×${z === null ? '?' : millimetres(z)} mm`;
}

export function formatPatient(scan: Scan): string {
  if (scan.patientName === null) return '-';
  return scan.patientMrn === null ? scan.patientName : `${scan.patientName} (${scan.patientMrn})`;
}
