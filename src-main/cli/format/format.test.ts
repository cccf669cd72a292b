import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import type {
  Analysis,
  BrainTumourFindings,
  Detection,
} from '../../../src-shared/contract/analysis.js';
import type { InputResult } from '../analyze/result.js';
import {
  describePaths,
  formatAnalyzeCounts,
  formatClassification,
  formatDetection,
  formatInputResult,
  lesionConfidenceNote,
} from './analysis-report.js';
import { formatImportReport } from './import-report.js';
import { createProgressDisplay, formatEta, formatProgress } from './progress.js';
import { formatSpacing } from './scan-summary.js';
import { formatTable } from './table.js';

const job = (progress: number, stage: string | null, etaSeconds: number | null): Job => ({
  id: '00000000-0000-4000-8000-000000000001',
  type: 'import.files',
  status: 'processing',
  priority: 'MEDIUM',
  progress,
  stage,
  etaSeconds,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  createdBy: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  updatedAt: '2024-01-01T00:00:00.000Z',
  payload: { paths: ['/x'] },
  result: null,
});

describe('CLI formatting', () => {
  it('aligns table columns without trailing blanks', () => {
    expect(
      formatTable(
        ['ID', 'NAME'],
        [
          ['1', 'Ann'],
          ['22', ''],
        ],
      ),
    ).toBe('ID  NAME\n1   Ann\n22\n');
  });

  it('writes spacing in mm with unknowns marked', () => {
    expect(formatSpacing([0.8, 0.9, 5])).toBe('0.8×0.9×5 mm');
    expect(formatSpacing([0.4688, 0.4688, null])).toBe('0.469×0.469×? mm');
    expect(formatSpacing(null)).toBe('-');
  });

  it('shows stage, percent and ETA', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('about 1 s left');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatProgress(job(0.1, 'Importing file 40 of 400', 9))).toBe(
      'Importing file 40 of 400 · 10% · about 9 s left',
    );
    expect(formatProgress(job(1, 'Importing file 400 of 400', 0))).toBe(
      'Importing file 400 of 400 · 100%',
    );
  });

  it('rewrites one line on a terminal and writes steps to a pipe', () => {
    let tty = '';
    const onTty = createProgressDisplay({ isTTY: true, write: (t: string) => (tty += t) });
    onTty.show('Import', job(0.5, 'Half', null));
    onTty.finish();
    expect(tty).toBe('\rImport: Half · 50%\x1b[K\n');

    let pipe = '';
    const onPipe = createProgressDisplay({ isTTY: false, write: (t: string) => (pipe += t) });
    for (const progress of [0.01, 0.02, 0.06, 0.07])
      onPipe.show('Import', job(progress, 'S', null));
    expect(pipe).toBe('Import: S · 1%\nImport: S · 6%\n');
  });

  it('lists every file that was not imported with its reason', () => {
    const text = formatImportReport({
      total: 3,
      imported: 1,
      duplicates: 1,
      rejected: 1,
      scanIds: ['00000000-0000-4000-8000-000000000002'],
      items: [
        { path: '/in/a.dcm', status: 'imported' },
        { path: '/in/b.dcm', status: 'duplicate', code: 'DUPLICATE', reason: 'Already imported' },
        { path: '/in/c.txt', status: 'rejected', code: 'UNSUPPORTED_FORMAT', reason: 'Not DICOM' },
      ],
    });
    expect(text).toBe(
      '1 imported, 1 duplicate, 1 rejected (3 files) into 1 scan.\n' +
        'Not imported:\n' +
        '  duplicate  /in/b.dcm\n' +
        '             Already imported\n' +
        '  rejected   /in/c.txt\n' +
        '             UNSUPPORTED_FORMAT: Not DICOM\n',
    );
  });

  it('describes a detection with its size, volume or area, diameter, place and confidence', () => {
    const base = {
      detectionId: 'lesion-1',
      class: 'tumour',
      voxelCount: 120,
      boundingBox: { voxels: { min: [0, 0, 0], max: [9, 9, 0] }, mm: null },
      centroid: { voxels: [5, 5, 0], mm: null },
      location: {
        approximate: true,
        hemisphere: 'left',
        region: 'frontal',
        description: 'Left frontal lobe (approximate)',
      },
    } satisfies Partial<Detection>;
    const volume: Detection = {
      ...base,
      // On slices 5–10 (1-based); the centroid lies on the 7th.
      boundingBox: { voxels: { min: [0, 0, 4], max: [9, 9, 9] }, mm: null },
      centroid: { voxels: [5, 5, 6.4], mm: null },
      confidence: 0.874,
      units: 'mm',
      size: '3.2 × 2.8 × 2.5 cm (14.6 mL)',
      metrics: {
        kind: 'volume',
        volume_mm3: 14_612.4,
        surface_area_mm2: 3000,
        diameter_mm: 34.06,
        sphericity: 0.9,
        elongation: 0.8,
        flatness: 0.7,
        compactness: 0.6,
      },
    };
    expect(formatDetection(volume)).toBe(
      '3.2 × 2.8 × 2.5 cm (14.6 mL) · volume 14612 mm³ · diameter 34.1 mm · ' +
        'slices 5–10, centre 7 · Left frontal lobe (approximate) · confidence 87%',
    );
    const picture: Detection = {
      ...base,
      confidence: null,
      units: 'pixels',
      size: '10 × 10 px (area 80 px²)',
      metrics: {
        kind: 'slice',
        area: 80,
        perimeter: 30,
        diameter: 12.345,
        circularity: 1,
        elongation: 1,
      },
    };
    expect(formatDetection(picture)).toBe(
      '10 × 10 px (area 80 px²) · diameter 12.3 px · Left frontal lobe (approximate)',
    );
  });

  it('lists the tumour type with the other classes by probability', () => {
    expect(
      formatClassification({
        label: 'glioma',
        confidence: 0.91,
        probabilities: { glioma: 0.91, meningioma: 0.02, notumor: 0.01, pituitary: 0.06 },
        slice: 3,
      }),
    ).toBe('glioma 91% (pituitary 6%, meningioma 2%, notumor 1%)');
    expect(formatClassification(null)).toBe('not classified');
  });

  it('prints rejected inputs with their reason and counts the outcome', () => {
    expect(describePaths(['/cd/AX/IM1', '/cd/AX/IM2'], null)).toBe('/cd/AX/ (2 files)');
    expect(describePaths([], '00000000-0000-4000-8000-000000000002')).toBe(
      'scan 00000000-0000-4000-8000-000000000002',
    );
    const rejected: InputResult = {
      paths: ['/in/broken.dcm'],
      scanId: null,
      status: 'rejected',
      error: { code: 'CORRUPT_FILE', message: 'cut off' },
    };
    expect(formatInputResult(rejected)).toBe('/in/broken.dcm\n  Rejected  CORRUPT_FILE: cut off\n');
    expect(formatAnalyzeCounts([rejected, { paths: [], scanId: null, status: 'failed' }])).toBe(
      '0 analysed (0 with a tumour), 1 failed, 1 rejected.',
    );
  });

  it('prints a refused input as not applicable, a forced one with its warning, and counts apart', () => {
    const reason =
      'This model reads axial brain FLAIR MR; this series is CR chest: the modality is CR, not MR.';
    const base: Omit<Analysis, 'findings' | 'applicability' | 'warnings' | 'provider'> = {
      id: '00000000-0000-4000-8000-000000000010',
      scanId: '00000000-0000-4000-8000-000000000011',
      jobId: null,
      createdAt: '2024-01-01T00:00:00.000Z',
      pipeline: 'brain-mr-tumour',
      models: { segmentation: { id: 'lgg-flair-unet', version: '1.0.0' }, classification: null },
      providerNote: null,
      notes: '',
      imageQuality: null,
      input: { format: 'dicom', dimensions: [64, 64, 1], voxelSizes: null, units: 'pixels' },
      timings: { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 12 },
      outputs: { hasMask: false, hasHeatmap: false, hasOverlay: false },
    };
    const refused: InputResult = {
      paths: ['/in/chest.dcm'],
      scanId: base.scanId,
      status: 'completed',
      analysis: {
        ...base,
        provider: null,
        applicability: { verdict: 'not-applicable', reasons: [reason], checkedFrom: [] },
        warnings: [],
        findings: { kind: 'not-applicable', reason },
      },
    };
    expect(formatInputResult(refused)).toBe(
      `/in/chest.dcm\n  Scan            ${base.scanId}\n  Not applicable  ${reason}\n`,
    );
    const warning = `Run on request although the input is not what the model reads: ${reason}`;
    const forced: InputResult = {
      ...refused,
      analysis: {
        ...base,
        provider: 'cpu',
        applicability: { verdict: 'forced', reasons: [reason], checkedFrom: [] },
        warnings: [warning],
        findings: {
          kind: 'brain-tumour',
          tumourDetected: false,
          location: null,
          size: null,
          overallConfidence: 0.9,
          detections: [],
          summary: {
            count: 0,
            totalVolume_mm3: null,
            averageConfidence: null,
            largestDiameter_mm: null,
          },
          classification: null,
        },
      },
    };
    expect(formatInputResult(forced)).toBe(
      `/in/chest.dcm\n  Scan      ${base.scanId}\n  Warning   ${warning}\n  Tumour    no\n  Provider  cpu · 12 ms\n`,
    );
    expect(formatAnalyzeCounts([refused, forced])).toBe(
      '1 analysed (0 with a tumour), 1 not applicable, 0 failed, 0 rejected.',
    );

    // The tumour type as the result reads it: never the raw "notumor", and why it is missing.
    const typed = (tumourType: NonNullable<BrainTumourFindings['tumourType']>): InputResult => ({
      ...forced,
      analysis: {
        ...forced.analysis!,
        warnings: [],
        findings: { ...(forced.analysis!.findings as BrainTumourFindings), tumourType },
      },
    });
    const notAssessed =
      'Tumour type not assessed: the tumour type model reads brain MR T1 post-contrast images.';
    expect(
      formatInputResult(
        typed({
          status: 'not-assessed',
          type: null,
          probability: null,
          statement: notAssessed,
          disagreement: null,
        }),
      ),
    ).toContain(`  Type      ${notAssessed}\n`);
    expect(
      formatInputResult(
        typed({
          status: 'undetermined',
          type: null,
          probability: null,
          statement: 'Tumour type could not be determined on this image.',
          disagreement: 'The segmented lesion stands.',
        }),
      ),
    ).toMatch(
      /Type +Tumour type could not be determined on this image\.\n +Models disagree +The segmented lesion stands\.\n/,
    );
  });

  it('prints each lesion on its own line with its slices, and says once what confidence means', () => {
    const lesion = (
      rank: number,
      volumeMm3: number,
      slices: [number, number],
      centreZ: number,
      description: string,
    ): Detection => ({
      detectionId: `det-${rank}`,
      class: 'tumour',
      confidence: rank === 1 ? 0.91 : 0.62,
      voxelCount: volumeMm3,
      units: 'mm',
      boundingBox: { voxels: { min: [10, 10, slices[0]], max: [20, 20, slices[1]] }, mm: null },
      centroid: { voxels: [15, 15, centreZ], mm: [15, 15, centreZ] },
      metrics: {
        kind: 'volume',
        volume_mm3: volumeMm3,
        surface_area_mm2: 100,
        diameter_mm: rank === 1 ? 21.37 : 4.2,
        sphericity: 0.9,
        elongation: 0.9,
        flatness: 0.9,
        compactness: 0.9,
      },
      size: rank === 1 ? '2.1 × 1.8 × 1.5 cm (2.40 mL)' : '0.4 × 0.4 × 0.3 cm (0.030 mL)',
      location: { approximate: true, hemisphere: null, region: null, description },
    });
    const detections = [
      lesion(1, 2400, [3, 8], 5.6, 'Right temporal lobe (approximate)'),
      lesion(2, 30, [12, 12], 12, 'Left occipital lobe (approximate)'),
    ];
    const findings: BrainTumourFindings = {
      kind: 'brain-tumour',
      tumourDetected: true,
      location: detections[0]!.location.description,
      size: detections[0]!.size,
      overallConfidence: 0.765,
      detections,
      summary: {
        count: 2,
        totalVolume_mm3: 2430,
        averageConfidence: 0.765,
        largestDiameter_mm: 21.37,
      },
      classification: null,
    };
    const analysis: Analysis = {
      id: '00000000-0000-4000-8000-000000000020',
      scanId: '00000000-0000-4000-8000-000000000021',
      jobId: null,
      createdAt: '2024-01-01T00:00:00.000Z',
      pipeline: 'brain-mr-tumour',
      models: { segmentation: { id: 'lgg-flair-unet', version: '1.0.0' }, classification: null },
      provider: 'cpu',
      providerNote: null,
      applicability: { verdict: 'applicable', reasons: [], checkedFrom: [] },
      warnings: [],
      notes: '2 lesions found.',
      imageQuality: null,
      input: { format: 'nifti', dimensions: [64, 64, 20], voxelSizes: [1, 1, 1], units: 'mm' },
      findings,
      timings: { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 1500 },
      outputs: { hasMask: true, hasHeatmap: false, hasOverlay: false },
    };
    const result: InputResult = {
      paths: ['/in/brain.nii.gz'],
      scanId: analysis.scanId,
      status: 'completed',
      analysis,
    };
    expect(formatInputResult(result)).toBe(
      '/in/brain.nii.gz\n' +
        `  Scan      ${analysis.scanId}\n` +
        '  Tumour    yes: 2 lesions\n' +
        '  Lesion 1  2.1 × 1.8 × 1.5 cm (2.40 mL) · volume 2400 mm³ · diameter 21.4 mm · ' +
        'slices 4–9, centre 7 · Right temporal lobe (approximate) · confidence 91%\n' +
        '  Lesion 2  0.4 × 0.4 × 0.3 cm (0.030 mL) · volume 30 mm³ · diameter 4.2 mm · ' +
        'slice 13 · Left occipital lobe (approximate) · confidence 62%\n' +
        '  Provider  cpu · 1.5 s\n',
    );
    expect(lesionConfidenceNote([result])).toMatch(
      /average probability, over the lesion’s voxels.*not a probability that the lesion is a tumour/,
    );
    const noLesion: InputResult = {
      ...result,
      analysis: { ...analysis, findings: { ...findings, detections: [] } },
    };
    expect(lesionConfidenceNote([noLesion])).toBeNull();
  });
});
