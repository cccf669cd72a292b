import type {
  MeasuredValue,
  SavedMeasurement as StoredMeasurement,
} from '../../../src-shared/contract/measurements.js';
import type { SavedMeasurement } from './report-data.js';

const KIND_NAMES: Readonly<Record<StoredMeasurement['kind'], string>> = {
  length: 'Length',
  ellipse: 'Ellipse',
  angle: 'Angle',
  arrow: 'Arrow',
};

function figure(value: MeasuredValue): string {
  const digits = value.unit === 'mm²' || value.unit === 'px' ? 0 : 1;
  const unit = value.unit === '°' ? '°' : ` ${value.unit}`;
  return `${value.value.toFixed(digits)}${unit}`;
}

/** "mean 412.0 ± 38.0 a.u., area 120 mm²", "23.4 mm", "37.5°": as the viewer's panel reads. */
function valueText(values: readonly MeasuredValue[]): string {
  const byName = new Map(values.map((v) => [v.name, v]));
  const mean = byName.get('mean');
  const sd = byName.get('sd');
  const parts: string[] = [];
  if (mean !== undefined)
    parts.push(
      sd === undefined ? `mean ${figure(mean)}` : `mean ${mean.value.toFixed(1)} ± ${figure(sd)}`,
    );
  for (const name of ['length', 'area', 'angle'] as const) {
    const value = byName.get(name);
    if (value !== undefined) parts.push(`${name === 'area' ? 'area ' : ''}${figure(value)}`);
  }
  return parts.length === 0 ? '—' : parts.join(', ');
}

/**
 * The measurements a radiologist saved on the scan, as report rows: kind, label and author, the
 * figures with their units, and the slice. Arrows carry text, not a figure.
 */
export function reportMeasurementRows(
  measurements: readonly StoredMeasurement[],
): SavedMeasurement[] {
  return [...measurements]
    .sort((a, b) => a.frame - b.frame || a.createdAt.localeCompare(b.createdAt))
    .map((m) => ({
      label: `${KIND_NAMES[m.kind]}${m.label === '' ? '' : `: ${m.label}`} (${m.author})`,
      value: m.kind === 'arrow' ? 'annotation' : valueText(m.values),
      slice: m.frame,
    }));
}
