import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src-shared/contract/analysis.js';
import { chestPixel } from '../../test-support/chest-fixtures.js';
import { headWithSpot, makeDicom, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { appRoot } from '../platform/version.js';

// Routing with every shipped model installed (brain FLAIR segmentation, tumour type, sequence
// gate, chest X-ray): a chest radiograph gets its own result and never reaches the brain
// pipeline; a brain MR never reaches the chest X-ray pipeline.

describe('routing between the brain MR and the chest X-ray pipelines', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ providerPreference: 'cpu' });
    token = await setupAdmin(t);
    for (const id of [
      'lgg-flair-unet',
      'brain-tumour-4class',
      'sequence-gate',
      'chest-xray-pneumonia',
    ])
      cpSync(join(appRoot(), 'models', id), join(t.root, 'models', id), { recursive: true });
  });
  afterAll(() => t.dispose());

  const radiograph = (
    name: string,
    options: {
      modality: string;
      rows: number;
      columns: number;
      bodyPart?: string;
      monochrome1?: boolean;
    },
  ): string => {
    const path = join(t.inputDir, name);
    const { rows, columns } = options;
    writeFileSync(
      path,
      makeDicom({
        modality: options.modality,
        rows,
        columns,
        bitsAllocated: 16,
        bitsStored: 12,
        seriesDescription: 'CHEST PA',
        studyDescription: 'CHEST',
        pixelSpacing: [0.15, 0.15],
        pixel: chestPixel(rows, columns, 4095, options.monochrome1 === true),
        extraAttributes: {
          PhotometricInterpretation: options.monochrome1 === true ? 'MONOCHROME1' : 'MONOCHROME2',
          ...(options.bodyPart !== undefined && { BodyPartExamined: options.bodyPart }),
        },
      }),
    );
    return path;
  };

  const analyse = async (paths: string[]): Promise<Analysis> =>
    analyseScan(t, token, await importScan(t, token, paths));

  it('reads a large 12-bit MONOCHROME1 CR without BodyPartExamined as a chest radiograph', async () => {
    const analysis = await analyse([
      radiograph('cr-mono1.dcm', { modality: 'CR', rows: 2000, columns: 1700, monochrome1: true }),
    ]);
    expect(analysis.pipeline).toBe('chest-xray');
    expect(analysis.applicability.verdict).toBe('applicable');
    expect(analysis.models).toEqual({
      segmentation: null,
      classification: { id: 'chest-xray-pneumonia', version: expect.any(String) },
    });
    if (analysis.findings.kind !== 'chest-xray') throw new Error(analysis.findings.kind);
    const { findings } = analysis;
    expect(['normal', 'pneumonia']).toContain(findings.label);
    expect(findings.probabilities.normal + findings.probabilities.pneumonia).toBeCloseTo(1, 5);
    expect(findings.threshold).toBe(0.5);
    expect(findings.statement).toMatch(/^(Pneumonia suggested|No pneumonia seen)/);
    expect(findings.qualityNotes.map((n) => n.code)).toContain('inverted-photometric');
    expect(analysis.notes).toMatch(/1700×2000 image was reduced/);
    expect(analysis.input.dimensions).toEqual([1700, 2000, 1]);
    expect(analysis.outputs).toEqual({ hasMask: false, hasHeatmap: true, hasOverlay: true });
    const outputs = await t.core.analysis.outputs(analysis.scanId);
    // Stored at most 1024 pixels on the longer side, in the picture's proportions.
    expect(outputs.heatmapPng?.readUInt32BE(16)).toBe(870);
    expect(outputs.heatmapPng?.readUInt32BE(20)).toBe(1024);
  });

  it('inverts MONOCHROME1 before reading: the same picture stored both ways reads the same', async () => {
    const mono2 = await analyse([
      radiograph('dx-mono2.dcm', { modality: 'DX', rows: 600, columns: 500, bodyPart: 'CHEST' }),
    ]);
    const mono1 = await analyse([
      radiograph('dx-mono1.dcm', {
        modality: 'DX',
        rows: 600,
        columns: 500,
        bodyPart: 'CHEST',
        monochrome1: true,
      }),
    ]);
    expect(mono2.pipeline).toBe('chest-xray');
    if (mono1.findings.kind !== 'chest-xray' || mono2.findings.kind !== 'chest-xray')
      throw new Error('not read as chest radiographs');
    expect(mono2.findings.qualityNotes.map((n) => n.code)).not.toContain('inverted-photometric');
    expect(mono1.findings.probabilities.pneumonia).toBeCloseTo(
      mono2.findings.probabilities.pneumonia,
      2,
    );
  });

  it('sends a CR of another body part to the chest X-ray pipeline, which refuses it', async () => {
    const analysis = await analyse([
      radiograph('cr-hand.dcm', { modality: 'CR', rows: 300, columns: 240, bodyPart: 'HAND' }),
    ]);
    expect(analysis.pipeline).toBe('chest-xray');
    expect(analysis.applicability.verdict).toBe('not-applicable');
    expect(analysis.findings.kind).toBe('not-applicable');
  });

  it('never sends a brain MR series to the chest X-ray pipeline', async () => {
    const paths = writeDicomSeries(join(t.inputDir, 'flair'), 3, {
      rows: 64,
      columns: 64,
      seriesDescription: 'AX FLAIR',
      extraAttributes: { BodyPartExamined: 'BRAIN' },
      pixel: headWithSpot,
    });
    const analysis = await analyse(paths);
    expect(analysis.pipeline).toBe('brain-mr-tumour');
    expect(analysis.findings.kind).toBe('brain-tumour');
  });

  it('sends a PNG the image gate sees as a chest radiograph to the chest X-ray pipeline', async () => {
    // Named without a hint: only the image gate can tell what it is.
    const path = join(t.inputDir, 'image-0001.png');
    const pixel = chestPixel(448, 448, 255);
    writeFileSync(
      path,
      makePng(448, 448, (x, y) => pixel(y, x)),
    );
    const analysis = await analyse([path]);
    expect(analysis.pipeline).toBe('chest-xray');
    expect(analysis.applicability.checkedFrom).toContain('image-gate');
    expect(analysis.findings.kind).toBe('chest-xray');
  });

  it('keeps a brain MR PNG in the brain pipeline', async () => {
    const path = join(t.inputDir, 'brain.png');
    writeFileSync(
      path,
      makePng(128, 128, (x, y) => Math.min(255, Math.round(headWithSpot(y / 2, x / 2) / 12))),
    );
    const analysis = await analyse([path]);
    expect(analysis.pipeline).toBe('brain-mr-tumour');
    expect(analysis.findings.kind).not.toBe('chest-xray');
  });
});
