import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDicom, headWithSpot, writeDicomSeries } from '../../../test-support/dicom-fixtures.js';
import { installFlairIdentityModel } from '../../../test-support/model-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../../test-support/test-core.js';

// The reports.dicom stream through the router: what it answers without a mask, and that its
// temporary folder never outlives the call.
describe('reports.dicom: no mask, no ZIP; the temporary folder is always removed', () => {
  let t: TestCore;
  let admin: string;
  let tmp: string;
  let savedTmpdir: string | undefined;

  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
    // os.tmpdir() follows TMPDIR: the stream's mkdtemp lands where this test can look.
    tmp = join(t.root, 'tmp');
    mkdirSync(tmp);
    savedTmpdir = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
  });
  afterEach(async () => {
    if (savedTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = savedTmpdir;
    await t.dispose();
  });

  // Other parts (the inference runtime) use the temporary folder too: only the stream's count.
  const leftFolders = () =>
    readdirSync(tmp).filter((name) => name.startsWith('neurosphere-dicom-'));

  const zipOf = (reportId: string) =>
    t.core.router.stream('reports.dicom', { reportId }, { transport: 'test', token: admin });

  it('zips the SEG, overlays and report of an analysis with a mask, leaving no folder', async () => {
    const scanId = await importScan(
      t,
      admin,
      writeDicomSeries(join(t.inputDir, 'flair'), 4, {
        rows: 64,
        columns: 64,
        seriesDescription: 'AX FLAIR',
        extraAttributes: { BodyPartExamined: 'BRAIN' },
        pixel: headWithSpot,
      }),
    );
    await analyseScan(t, admin, scanId);
    const draft = await t.ok('reports.create', { scanId }, admin);
    const answer = await zipOf(draft.id);
    if (!answer.ok) throw new Error(answer.error.message);
    const zip = join(t.root, 'out.zip');
    writeFileSync(zip, answer.value.data as Uint8Array);
    const names = execFileSync('/usr/bin/unzip', ['-Z1', zip], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(names[0]).toBe('segmentation.dcm');
    expect(names.at(-1)).toBe('report.dcm');
    expect(names.slice(1, -1).every((name) => /^overlay-\d{4}\.dcm$/.test(name))).toBe(true);
    expect(names.length).toBeGreaterThan(2);
    expect(leftFolders()).toEqual([]);
  }, 60_000);

  it('answers NOT_FOUND with the reason when the analysis refused the scan', async () => {
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
        pixel: (r, c) => (r + c) * 10,
      }),
    );
    const scanId = await importScan(t, admin, [path]);
    const analysis = await analyseScan(t, admin, scanId);
    expect(analysis.findings.kind).toBe('not-applicable');
    const draft = await t.ok('reports.create', { scanId }, admin);
    const answer = await zipOf(draft.id);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('NOT_FOUND');
    expect(answer.error.message).toMatch(
      /^The analysis made no mask: it found the scan not applicable\. This model reads axial brain FLAIR MR/,
    );
    expect(leftFolders()).toEqual([]);
  }, 60_000);
});
