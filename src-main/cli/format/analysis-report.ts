import { dirname } from 'node:path';
import {
  isPositiveFinding,
  type Analysis,
  type BrainTumourFindings,
  type Detection,
} from '../../../src-shared/contract/analysis.js';
import { LESION_CONFIDENCE_MEANING, lesionCentreSlice } from '../../../src-shared/lesions.js';
import type { InputResult } from '../analyze/result.js';

const percent = (value: number): string => `${Math.round(value * 100)}%`;

/** Up to 3 significant digits for small values, whole numbers from 100 on. */
function amount(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

/** "/in/slice.png", or "/in/series/ (24 files)" for the files of one series. */
export function describePaths(paths: readonly string[], scanId: string | null): string {
  const [first] = paths;
  if (first === undefined) return scanId === null ? '(no files)' : `scan ${scanId}`;
  if (paths.length === 1) return first;
  const folder = dirname(first);
  const isOneFolder = paths.every((path) => dirname(path) === folder);
  return `${isOneFolder ? `${folder}/` : `${first} and others`} (${paths.length} files)`;
}

/**
 * "3.2 × 2.8 × 2.5 cm (14.6 mL) · volume 14600 mm³ · diameter 34.1 mm · slices 5–10, centre 8 ·
 * Left frontal lobe (approximate) · confidence 87%": the size string, the numbers a report
 * quotes, and (in a volume) where to look, as 1-based slice numbers like the viewer's.
 */
export function formatDetection(detection: Detection): string {
  const { metrics } = detection;
  const parts = [detection.size];
  if (metrics.kind === 'volume') {
    const { min, max } = detection.boundingBox.voxels;
    const centre = lesionCentreSlice(detection) + 1;
    parts.push(
      `volume ${amount(metrics.volume_mm3)} mm³`,
      `diameter ${amount(metrics.diameter_mm)} mm`,
      min[2] === max[2]
        ? `slice ${centre}`
        : `slices ${min[2] + 1}–${max[2] + 1}, centre ${centre}`,
    );
  } else if (detection.units === 'mm') {
    parts.push(`area ${amount(metrics.area)} mm²`, `diameter ${amount(metrics.diameter)} mm`);
  } else {
    // The size string already gives the area in px².
    parts.push(`diameter ${amount(metrics.diameter)} px`);
  }
  parts.push(detection.location.description);
  if (detection.confidence !== null) parts.push(`confidence ${percent(detection.confidence)}`);
  return parts.join(' · ');
}

/** "glioma 91% (meningioma 5%, no tumour 3%, pituitary 1%)" */
export function formatClassification(
  classification: BrainTumourFindings['classification'],
): string {
  if (classification === null) return 'not classified';
  const others = Object.entries(classification.probabilities)
    .filter(([label]) => label !== classification.label)
    .sort(([, a], [, b]) => b - a)
    .map(([label, p]) => `${label} ${percent(p)}`);
  const head = `${classification.label} ${percent(classification.confidence)}`;
  return others.length === 0 ? head : `${head} (${others.join(', ')})`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function brainTumourRows(
  analysis: Analysis,
  findings: BrainTumourFindings,
): Array<[string, string]> {
  const count = findings.detections.length;
  const rows: Array<[string, string]> = [
    ['Tumour', findings.tumourDetected ? `yes: ${count} lesion${count === 1 ? '' : 's'}` : 'no'],
  ];
  findings.detections.forEach((detection, index) =>
    rows.push([`Lesion ${index + 1}`, formatDetection(detection)]),
  );
  if (findings.tumourType !== undefined) {
    rows.push(['Type', findings.tumourType.statement]);
    if (findings.tumourType.disagreement !== null)
      rows.push(['Models disagree', findings.tumourType.disagreement]);
  } else if (analysis.models.classification !== null || findings.classification !== null) {
    // Stored before the type was read against the segmentation: the classifier's raw answer.
    rows.push(['Type', formatClassification(findings.classification)]);
  }
  return rows;
}

function findingRows(analysis: Analysis): Array<[string, string]> {
  const { findings } = analysis;
  switch (findings.kind) {
    case 'brain-tumour':
      return brainTumourRows(analysis, findings);
    case 'chest-xray':
      return [
        ['Chest X-ray', `${findings.label} ${percent(findings.probabilities[findings.label])}`],
        ['Finding', findings.statement],
        ['p(pneumonia)', findings.probabilities.pneumonia.toFixed(3)],
        ...findings.qualityNotes.map((note): [string, string] => ['Image quality', note.message]),
      ];
    case 'not-applicable':
      return [['Not applicable', findings.reason]];
    default: {
      const unknown: never = findings;
      return unknown;
    }
  }
}

function analysisRows(analysis: Analysis): Array<[string, string]> {
  const rows: Array<[string, string]> = analysis.warnings.map((w) => ['Warning', w]);
  rows.push(...findingRows(analysis));
  // Why the GPU was not used is the same for every input: said once at the end (providerNotes).
  if (analysis.provider !== null)
    rows.push(['Provider', `${analysis.provider} · ${duration(analysis.timings.totalMs)}`]);
  return rows;
}

/** One input as a block of aligned "Key  value" lines, for people reading a terminal. */
export function formatInputResult(result: InputResult): string {
  const rows: Array<[string, string]> = [];
  if (result.scanId !== null) rows.push(['Scan', result.scanId]);
  if (result.sameFileAs !== undefined) rows.push(['Same file as', result.sameFileAs]);
  if (result.analysis !== undefined) rows.push(...analysisRows(result.analysis));
  if (result.error !== undefined)
    rows.push([
      result.status === 'rejected' ? 'Rejected' : 'Failed',
      `${result.error.code}: ${result.error.message}`,
    ]);
  if (result.outputs !== undefined) {
    const { mask, heatmap, overlay } = result.outputs;
    if (mask !== null) rows.push(['Mask', mask]);
    if (heatmap !== null) rows.push(['Heatmap', heatmap]);
    if (overlay !== null) rows.push(['Overlay', overlay]);
  }
  if (result.report !== undefined) rows.push(['Report', result.report]);
  for (const warning of result.warnings ?? []) rows.push(['Note', warning]);
  const width = Math.max(...rows.map(([key]) => key.length));
  const lines = rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`);
  return `${describePaths(result.paths, result.scanId)}\n${lines.join('\n')}\n`;
}

/** The distinct reasons the preferred (GPU) provider was not used. */
export function providerNotes(results: readonly InputResult[]): string[] {
  const notes = results.map((result) => result.analysis?.providerNote ?? null);
  return [...new Set(notes.filter((note) => note !== null))];
}

/** What a lesion's confidence means, once after the results when any lesion has one. */
export function lesionConfidenceNote(results: readonly InputResult[]): string | null {
  const hasConfidence = results.some((result) => {
    const findings = result.analysis?.findings;
    return (
      findings?.kind === 'brain-tumour' &&
      findings.detections.some((detection) => detection.confidence !== null)
    );
  });
  return hasConfidence ? LESION_CONFIDENCE_MEANING : null;
}

/**
 * "2 analysed (1 with a tumour), 1 failed, 1 rejected."; with chest radiographs among the
 * results, "(…, 1 with pneumonia suggested)".
 */
export function formatAnalyzeCounts(results: readonly InputResult[]): string {
  const completed = results.filter((r) => r.status === 'completed');
  // A refused input was not read by the model: it is counted apart, never as "no tumour".
  const notApplicable = completed.filter(
    (r) => r.analysis?.findings.kind === 'not-applicable',
  ).length;
  const positives = (kind: 'brain-tumour' | 'chest-xray') =>
    completed.filter(
      (r) =>
        r.analysis !== undefined &&
        r.analysis.findings.kind === kind &&
        isPositiveFinding(r.analysis.findings),
    ).length;
  const chestCount = completed.filter((r) => r.analysis?.findings.kind === 'chest-xray').length;
  const brainCount = completed.length - notApplicable - chestCount;
  const found = [
    ...(brainCount > 0 || chestCount === 0 ? [`${positives('brain-tumour')} with a tumour`] : []),
    ...(chestCount > 0 ? [`${positives('chest-xray')} with pneumonia suggested`] : []),
  ];
  const failed = results.filter((r) => r.status === 'failed').length;
  const rejected = results.filter((r) => r.status === 'rejected').length;
  return (
    `${completed.length - notApplicable} analysed (${found.join(', ')}), ` +
    (notApplicable > 0 ? `${notApplicable} not applicable, ` : '') +
    `${failed} failed, ${rejected} rejected.`
  );
}
