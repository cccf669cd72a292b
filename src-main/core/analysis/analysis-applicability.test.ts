import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  analysisSchema,
  brainTumourFindings,
  type Analysis,
} from '../../../src-shared/contract/analysis.js';
import { makeDicom, writeDicomSeries, headWithSpot } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

// What the shipped FLAIR model declares it reads, on an identity model (output = input): the
// check is the shipped one, and a test needs no trained weights to see whether a model ran.
describe('applicability: a model reads only what its manifest says it reads', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  const importPaths = (paths: string[]): Promise<string> => importScan(t, token, paths);

  const analyse = (scanId: string, force?: boolean): Promise<Analysis> =>
    analyseScan(t, token, scanId, force);

  function chestRadiograph(): string {
    const path = join(t.inputDir, 'chest.dcm');
    writeFileSync(
      path,
      makeDicom({
        modality: 'CR',
        rows: 64,
        columns: 64,
        pixelSpacing: [0.2, 0.2],
        seriesDescription: 'CHEST PA',
        studyDescription: 'CHEST',
        extraAttributes: { BodyPartExamined: 'CHEST', ImageType: ['ORIGINAL', 'PRIMARY'] },
        pixel: headWithSpot,
      }),
    );
    return path;
  }

  it('refuses a chest radiograph: "not applicable" with the reason, no model run, not counted', async () => {
    const scanId = await importPaths([chestRadiograph()]);
    const analysis = await analyse(scanId);
    expect(analysis.findings).toEqual({
      kind: 'not-applicable',
      reason: expect.stringMatching(
        /^This model reads axial brain FLAIR MR; this series is CR chest.*the modality is CR, not MR; the body part is chest/,
      ),
    });
    expect(analysis.applicability).toMatchObject({
      verdict: 'not-applicable',
      checkedFrom: ['dicom-attributes', 'image-geometry'],
    });
    expect(analysis.provider).toBeNull();
    expect(analysis.outputs.hasMask).toBe(false);
    expect(analysis.notes).toMatch(/Analyse anyway.*--force/);
    // The scan shows the result (not a failure), and the dashboard does not count it.
    expect((await t.ok('scans.get', { id: scanId }, token)).scan.status).toBe('completed');
    expect(await t.ok('dashboard.stats', {}, token)).toMatchObject({
      analysedScans: 0,
      tumorsDetected: 0,
    });
    expect((await t.core.analysis.outputs(scanId)).mask).toBeNull();
  });

  it('refuses a T1 MPRAGE series and a T1 post-contrast series, accepts axial FLAIR', async () => {
    const series = (name: string, description: string, extra: Record<string, string> = {}) =>
      importPaths(
        writeDicomSeries(join(t.inputDir, name), 4, {
          rows: 64,
          columns: 64,
          seriesDescription: description,
          extraAttributes: { BodyPartExamined: 'BRAIN', ...extra },
          pixel: headWithSpot,
        }),
      );
    const t1 = await analyse(await series('t1', 'T1 MPRAGE'));
    expect(t1.findings.kind).toBe('not-applicable');
    expect(t1.applicability.reasons).toEqual([
      expect.stringMatching(/this series is MR brain T1 \(axial\): the sequence is T1\.$/),
    ]);
    const post = await analyse(await series('t1c', 'AX T1', { ContrastBolusAgent: 'GADOVIST' }));
    expect(post.applicability.reasons[0]).toMatch(/the sequence is T1 post-contrast/);

    const flair = await analyse(await series('flair', 'AX FLAIR'));
    expect(flair.applicability).toEqual({
      verdict: 'applicable',
      reasons: [],
      checkedFrom: ['dicom-attributes', 'image-geometry'],
    });
    expect(brainTumourFindings(flair)?.tumourDetected).toBe(true);
    expect(flair.warnings).toEqual([]);
    expect(await t.ok('dashboard.stats', {}, token)).toMatchObject({
      analysedScans: 1,
      tumorsDetected: 1,
    });
  });

  it('lets a PNG without metadata through (no image gate installed yet)', async () => {
    const path = join(t.inputDir, 'slice.png');
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => Math.min(255, Math.round(headWithSpot(y, x) / 12))),
    );
    const analysis = await analyse(await importPaths([path]));
    expect(analysis.applicability).toEqual({
      verdict: 'applicable',
      reasons: [],
      checkedFrom: ['image-geometry'],
    });
    expect(brainTumourFindings(analysis)?.tumourDetected).toBe(true);
  });

  it('runs anyway when forced, and the result carries the warning', async () => {
    const scanId = await importPaths([chestRadiograph()]);
    const analysis = await analyse(scanId, true);
    expect(analysis.applicability.verdict).toBe('forced');
    expect(analysis.findings.kind).toBe('brain-tumour');
    expect(analysis.provider).toBe('cpu');
    expect(analysis.warnings).toEqual([
      expect.stringMatching(
        /^Run on request although the input is not what the model reads: This model reads axial brain FLAIR MR; this series is CR chest.*The findings may not be valid\.$/,
      ),
    ]);
    // A forced result says nothing the dashboard may count.
    expect(await t.ok('dashboard.stats', {}, token)).toMatchObject({ analysedScans: 0 });
    // And it survives the contract as it is: the union and the warning round-trip.
    expect(analysisSchema.parse(JSON.parse(JSON.stringify(analysis)))).toEqual(analysis);
  });
});
