import type { Scan } from '../../../src-shared/contract/entities.js';
import type { MeasuredValue, SavedMeasurement } from '../../../src-shared/contract/measurements.js';
import { valueUnitFor } from '../../../src-shared/measurements/measurement-math.js';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces,
 * with quotes doubled. Text a person typed (labels, names) that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets a leading apostrophe: a label must never become a
 * formula on the machine that opens the file.
 */
export function csvField(value: string | number | null, isText = false): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? formatNumber(value) : value;
  if (isText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, '');
}

function valueOf(values: readonly MeasuredValue[], name: MeasuredValue['name']): number | null {
  return values.find((v) => v.name === name)?.value ?? null;
}

/**
 * A scan's measurements as CSV, one row each, with the units in the header: length and area in
 * mm and mm² (px and px² when the scan has no pixel size), mean/SD/min/max in HU for CT and
 * arbitrary units (a.u.) otherwise, angles in degrees, points in image pixels and in patient
 * space (LPS, mm). Slices are counted from 1, as the viewer shows them. CRLF line ends.
 */
export function measurementsCsv(
  scan: Pick<Scan, 'spacing' | 'modality'>,
  measurements: readonly SavedMeasurement[],
): string {
  const px = scan.spacing === null;
  const unit = valueUnitFor(scan.modality);
  const header = [
    'slice',
    'kind',
    'label',
    `length (${px ? 'px' : 'mm'})`,
    `area (${px ? 'px²' : 'mm²'})`,
    `mean (${unit})`,
    `sd (${unit})`,
    `min (${unit})`,
    `max (${unit})`,
    'angle (°)',
    'image points (x y; px)',
    'patient points (L P S; mm)',
    'author',
    'created at (UTC)',
    'updated at (UTC)',
    'id',
  ];
  const rows = measurements.map((m) =>
    [
      csvField(m.frame + 1),
      csvField(m.kind),
      csvField(m.label, true),
      ...(['length', 'area', 'mean', 'sd', 'min', 'max', 'angle'] as const).map((name) =>
        csvField(valueOf(m.values, name)),
      ),
      csvField(m.points.map((p) => `${formatNumber(p.x)} ${formatNumber(p.y)}`).join('; ')),
      csvField(m.patientPoints?.map((p) => p.map(formatNumber).join(' ')).join('; ') ?? null),
      csvField(m.author, true),
      csvField(m.createdAt),
      csvField(m.updatedAt),
      csvField(m.id),
    ].join(','),
  );
  return [header.map((h) => csvField(h)).join(','), ...rows].join('\r\n') + '\r\n';
}
