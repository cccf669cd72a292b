import { afterEach, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import { insertPatientChain, openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { createAnalysesRepo } from '../../analysis/analyses-repo.js';
import { createDashboardRepo } from '../../system/dashboard-repo.js';
import { migrate } from '../migrate.js';

/** An analysis exactly as the code before pipelines stored it (brain findings at the top). */
const LEGACY_RESULT = {
  id: '00000000-0000-4000-8000-000000000001',
  scanId: '00000000-0000-4000-8000-0000000000aa',
  jobId: null,
  createdAt: '2024-03-01T08:00:00.000Z',
  models: {
    segmentation: { id: 'lgg-flair-unet', version: '1.0.0' },
    classification: { id: 'brain-tumour-4class', version: '1.0.0' },
  },
  provider: 'cpu',
  providerNote: null,
  tumorDetected: true,
  location: 'Left frontal lobe (approximate)',
  size: '1.2 × 1.0 cm (0.8 mL)',
  notes: '1 lesion found.',
  overallConfidence: 0.91,
  imageQuality: { score: 1, issues: [] },
  input: { format: 'dicom', dimensions: [64, 64, 4], voxelSizes: [0.8, 0.9, 5], units: 'mm' },
  detections: [
    {
      detectionId: 'lesion-1',
      class: 'tumour',
      confidence: 0.91,
      voxelCount: 120,
      units: 'mm',
      boundingBox: {
        voxels: { min: [14, 14, 0], max: [25, 25, 3] },
        mm: { min: [11, 12, 0], max: [20, 22, 15], size: [9, 10, 15] },
      },
      centroid: { voxels: [19.5, 19.5, 1.5], mm: [15.6, 17.5, 7.5] },
      metrics: {
        kind: 'volume',
        volume_mm3: 800,
        surface_area_mm2: 500,
        diameter_mm: 18,
        sphericity: 0.8,
        elongation: 0.9,
        flatness: 0.7,
        compactness: 0.5,
      },
      size: '1.2 × 1.0 cm (0.8 mL)',
      location: {
        approximate: true,
        hemisphere: 'Left',
        region: 'frontal lobe',
        description: 'Left frontal lobe (approximate)',
      },
    },
  ],
  summary: { count: 1, totalVolume_mm3: 800, averageConfidence: 0.91, largestDiameter_mm: 18 },
  classification: {
    label: 'glioma',
    confidence: 0.8,
    probabilities: { glioma: 0.8, meningioma: 0.1, notumor: 0.05, pituitary: 0.05 },
    slice: 2,
  },
  timings: { loadMs: 1, preprocessMs: 2, inferenceMs: 3, postprocessMs: 4, totalMs: 10 },
  outputs: { hasMask: true, hasHeatmap: true, hasOverlay: true },
};

describe('migration 010: pipeline and applicability of analyses', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps analyses stored before pipelines; they still read, as brain findings, and count', () => {
    t = openTempDb(9);
    insertPatientChain(t.db, 1);
    t.db
      .prepare(
        `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at)
         VALUES (?, 'scan-1', 'cpu', 1, 1, ?, ?)`,
      )
      .run(LEGACY_RESULT.id, JSON.stringify(LEGACY_RESULT), LEGACY_RESULT.createdAt);
    migrate(t.db, { target: 10 });

    const found = createAnalysesRepo(t.db).latestOfScan('scan-1');
    expect(found?.analysis).toMatchObject({
      id: LEGACY_RESULT.id,
      pipeline: 'brain-mr-tumour',
      applicability: { verdict: 'unchecked', reasons: [], checkedFrom: [] },
      warnings: [],
      findings: {
        kind: 'brain-tumour',
        tumourDetected: true,
        location: 'Left frontal lobe (approximate)',
        classification: { label: 'glioma' },
        detections: [{ class: 'tumour', detectionId: 'lesion-1' }],
      },
    });
    expect(found?.analysis).not.toHaveProperty('tumorDetected');
    expect(t.db.prepare('SELECT pipeline, applicability FROM analyses').get()).toEqual({
      pipeline: 'brain-mr-tumour',
      applicability: 'unchecked',
    });
    expect(createDashboardRepo(t.db).stats(new Date('2024-03-15T00:00:00.000Z'))).toMatchObject({
      analysedScans: 1,
      tumorsDetected: 1,
    });
  });

  it('a later refusal replaces the verdict: the scan is no longer counted', () => {
    t = openTempDb(10);
    t.db
      .prepare(
        `INSERT INTO scans (id, kind, format, status, rows, columns, created_at, updated_at)
         VALUES (?, 'image', 'dicom', 'completed', 64, 64, ?, ?)`,
      )
      .run(LEGACY_RESULT.scanId, LEGACY_RESULT.createdAt, LEGACY_RESULT.createdAt);
    const repo = createAnalysesRepo(t.db);
    const refused: Analysis = {
      id: '00000000-0000-4000-8000-000000000002',
      scanId: LEGACY_RESULT.scanId,
      jobId: null,
      createdAt: '2024-03-02T08:00:00.000Z',
      pipeline: 'brain-mr-tumour',
      models: { segmentation: LEGACY_RESULT.models.segmentation, classification: null },
      provider: null,
      providerNote: null,
      applicability: {
        verdict: 'not-applicable',
        reasons: ['This model reads axial brain FLAIR MR; this series is CR chest.'],
        checkedFrom: ['dicom-attributes'],
      },
      warnings: [],
      notes: 'Not analysed.',
      imageQuality: null,
      input: { format: 'dicom', dimensions: [64, 64, 1], voxelSizes: null, units: 'pixels' },
      findings: {
        kind: 'not-applicable',
        reason: 'This model reads axial brain FLAIR MR; this series is CR chest.',
      },
      timings: { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 1 },
      outputs: { hasMask: false, hasHeatmap: false, hasOverlay: false },
    };
    repo.insert(refused, { maskSha256: null, heatmapSha256: null, overlaySha256: null });
    expect(repo.latestOfScan(LEGACY_RESULT.scanId)?.analysis).toEqual(refused);
    expect(createDashboardRepo(t.db).stats(new Date('2024-03-15T00:00:00.000Z'))).toMatchObject({
      analysedScans: 0,
      tumorsDetected: 0,
    });
    expect(() => t.db.prepare("UPDATE analyses SET applicability = 'maybe'").run()).toThrow(
      /CHECK/,
    );
  });
});
