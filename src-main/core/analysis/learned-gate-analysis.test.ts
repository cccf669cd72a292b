import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brainTumourFindings, type Analysis } from '../../../src-shared/contract/analysis.js';
import { writeDicomSeries, headWithSpot } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { appRoot } from '../platform/version.js';

// The shipped models (FLAIR segmentation, tumour-type classifier, sequence gate) through the
// core as the app runs them: the gate is found in the models folder and wired by core.ts.

describe('the shipped models with the learned image gate', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ providerPreference: 'cpu' });
    token = await setupAdmin(t);
    for (const id of ['lgg-flair-unet', 'brain-tumour-4class', 'sequence-gate'])
      cpSync(join(appRoot(), 'models', id), join(t.root, 'models', id), { recursive: true });
  });
  afterAll(() => t.dispose());

  const importPaths = (paths: string[]): Promise<string> => importScan(t, token, paths);

  const analyse = (scanId: string, force?: boolean): Promise<Analysis> =>
    analyseScan(t, token, scanId, force);

  const series = (name: string, description: string, extra: Record<string, string> = {}) =>
    importPaths(
      writeDicomSeries(join(t.inputDir, name), 3, {
        rows: 64,
        columns: 64,
        seriesDescription: description,
        extraAttributes: { BodyPartExamined: 'BRAIN', ...extra },
        pixel: headWithSpot,
      }),
    );

  it('segments a FLAIR series and says the tumour type was not assessed', async () => {
    const analysis = await analyse(await series('flair', 'AX FLAIR'));
    expect(analysis.applicability.verdict).toBe('applicable');
    expect(analysis.applicability.checkedFrom).toContain('image-gate');
    expect(analysis.provider).toBe('cpu');
    expect(analysis.models.classification).toBeNull();
    const findings = brainTumourFindings(analysis);
    expect(findings?.classification).toBeNull();
    expect(findings?.tumourType).toEqual({
      status: 'not-assessed',
      type: null,
      probability: null,
      statement: expect.stringMatching(
        /^Tumour type not assessed: the tumour type model reads brain MR T1 post-contrast images.*the sequence is FLAIR\.$/,
      ),
      disagreement: null,
    });
    expect(analysis.notes).toContain('Tumour type not assessed');
    expect(analysis.warnings).toEqual([]);
  });

  it('runs a refused T1 post-contrast series on request: warnings, and the type read as "given a tumour"', async () => {
    const scanId = await series('t1c', 'AX T1 POST GD', { ContrastBolusAgent: 'GADOVIST' });
    expect((await analyse(scanId)).findings.kind).toBe('not-applicable');
    const forced = await analyse(scanId, true);
    expect(forced.applicability.verdict).toBe('forced');
    expect(forced.warnings).toEqual([
      expect.stringMatching(
        /^Run on request.*the sequence is T1 post-contrast.*may not be valid\.$/,
      ),
    ]);
    const findings = brainTumourFindings(forced);
    // The classifier reads T1 post-contrast: it ran, and its answer was read against the lesion.
    expect(forced.models.classification?.id).toBe('brain-tumour-4class');
    expect(findings?.classification).not.toBeNull();
    expect(['suggested', 'undetermined', 'none']).toContain(findings?.tumourType?.status);
    if (findings?.tumourDetected === true)
      expect(findings.tumourType?.statement).not.toMatch(/notumor/);
  });

  it('refuses a picture the gate sees as no brain MR, in clinical words', async () => {
    const path = join(t.inputDir, 'stripes.png');
    writeFileSync(
      path,
      makePng(128, 128, (x) => (Math.floor(x / 8) % 2 === 0 ? 250 : 10)),
    );
    const analysis = await analyse(await importPaths([path]));
    expect(analysis.findings).toEqual({
      kind: 'not-applicable',
      reason:
        'This model reads axial brain FLAIR MR; this image looks like neither a brain MR slice nor a chest radiograph.',
    });
    expect(analysis.applicability.checkedFrom).toEqual(['image-geometry', 'image-gate']);
    expect(analysis.provider).toBeNull();
  });
});
