import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { appRoot } from '../platform/version.js';
import { REPORT_DISCLAIMER } from './pdf-document.js';

/** How the report prints a volume: two decimals from 1 mL, two significant digits below. */
const millilitres = (mm3: number): string =>
  `${mm3 >= 1000 ? (mm3 / 1000).toFixed(2) : (mm3 / 1000).toPrecision(2)} mL`;

// Issue 12's "done when": a report produced, signed and downloaded for the Philips 170-slice
// series and a BraTS volume, with the shipped models, read back with poppler.
const PHILIPS = 'dicom-samples/series-philips-3d-t1-mprage-brain';
const BRATS_CASE = 'Brats18_CBICA_ABM_1';
const BRATS = `brats2018-3d-nifti/${BRATS_CASE}`;
const MODELS = join(appRoot(), 'models');
const hasPhilips = hasSharedData(PHILIPS, '1301_0001.dcm');
const hasBrats = hasSharedData(BRATS, `${BRATS_CASE}_flair.nii.gz`);

describe.skipIf(!hasPhilips && !hasBrats)('reports on real series (shipped models)', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ modelsDir: MODELS, jobConcurrency: 1 });
    token = await setupAdmin(t);
  });
  afterAll(() => t?.dispose());

  async function signedReportText(scanId: string, force: boolean) {
    const analysis = await analyseScan(t, token, scanId, force);
    const draft = await t.ok('reports.create', { scanId }, token);
    await t.ok('reports.update', { id: draft.id, impression: 'Reviewed.' }, token);
    await t.ok('reports.sign', { id: draft.id }, token);
    const answer = await t.core.router.stream(
      'reports.pdf',
      { reportId: draft.id },
      { transport: 'test', token },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const path = join(t.root, `${scanId}.pdf`);
    writeFileSync(path, answer.value.data as Uint8Array);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', path]);
    const pixels = pgm.subarray(pgm.length - Math.floor(pgm.length * 0.9));
    const inked = pixels.filter((v) => v < 200).length / pixels.length;
    return { analysis, text, flat: text.replace(/\s+/g, ' '), inked };
  }

  function expectProvenance(text: string, modelId: string): void {
    const manifest = JSON.parse(readFileSync(join(MODELS, modelId, 'manifest.json'), 'utf8')) as {
      version: string;
      sha256: string;
    };
    expect(text).toContain(modelId);
    expect(text).toContain(manifest.sha256);
  }

  it.skipIf(!hasPhilips)(
    'Philips 3D T1 (170 slices, analysed anyway): name, lesions, provenance, disclaimer',
    async () => {
      const scanId = await importScan(t, token, [join(SHARED_DATA, PHILIPS)]);
      const { scan } = await t.ok('scans.get', { id: scanId }, token);
      expect(scan.slices).toBe(170);
      const { analysis, text, flat, inked } = await signedReportText(scanId, true);
      expect(text).toContain(scan.patientName ?? 'No patient recorded');
      expect(flat).toContain('Signed by admin on');
      // Forced: the report carries the warning that T1 is not what the model reads.
      for (const warning of analysis.warnings) expect(flat).toContain(warning.replace(/\s+/g, ' '));
      const lesions = brainTumourFindings(analysis)?.detections ?? [];
      for (const lesion of lesions)
        if (lesion.metrics.kind === 'volume')
          expect(text).toContain(millilitres(lesion.metrics.volume_mm3));
      expectProvenance(text, 'lgg-flair-unet');
      expect(flat).toContain(REPORT_DISCLAIMER);
      expect(inked).toBeGreaterThan(0.01);
    },
    600_000,
  );

  it.skipIf(!hasBrats)(
    `BraTS ${BRATS_CASE} FLAIR: lesion figures, provenance, disclaimer`,
    async () => {
      const scanId = await importScan(t, token, [
        join(SHARED_DATA, BRATS, `${BRATS_CASE}_flair.nii.gz`),
      ]);
      const { analysis, text, flat, inked } = await signedReportText(scanId, false);
      const lesions = brainTumourFindings(analysis)?.detections ?? [];
      expect(lesions.length).toBeGreaterThan(0);
      for (const lesion of lesions) {
        if (lesion.metrics.kind !== 'volume') throw new Error('expected a volume');
        expect(text).toContain(millilitres(lesion.metrics.volume_mm3));
        expect(flat).toContain(lesion.location.description);
      }
      expectProvenance(text, 'lgg-flair-unet');
      expect(flat).toContain(REPORT_DISCLAIMER);
      expect(inked).toBeGreaterThan(0.01);
    },
    600_000,
  );
});
