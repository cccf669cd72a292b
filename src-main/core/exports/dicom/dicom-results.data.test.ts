import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asScanId } from '../../../../src-shared/ids.js';
import {
  DECODE_SEG_PY,
  EMPTY_TYPE2_WARNINGS,
  makeTestPdf,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../../test-support/dicom-validation.js';
import { hasSharedData, SHARED_DATA } from '../../../test-support/shared-data.js';
import { setupAdmin, startTestCore, type TestCore } from '../../../test-support/test-core.js';
import { appRoot } from '../../platform/version.js';

// The writers on real series from public collections, with the shipped FLAIR model (forced: these
// are T1 series, which it would refuse): the SEG, overlays and report must validate and the SEG
// must decode back to the stored mask, whatever the real headers hold.
const SAMPLES = join(SHARED_DATA, 'dicom-samples');
const present = hasSharedData('dicom-samples', 'DICOM_INDEX.csv');

/**
 * Warnings that come with the source and are kept on purpose: these anonymised series name the
 * patient without "^" (e.g. "d2n_Philips_3T_R571"), which dciodvfy calls the retired Person Name
 * form; the results copy the patient's name as the images have it, so a PACS files them together.
 * Empty Type 2 study attributes are explained at EMPTY_TYPE2_WARNINGS.
 */
const ALLOWED_WARNINGS = [
  ...EMPTY_TYPE2_WARNINGS,
  /^Warning - Value dubious for this VR - \(0x0010,0x0010\) PN Patient's Name .* - Retired Person Name form$/,
];

describe.skipIf(!present)('DICOM results of real series', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    requireDicomValidators();
    t = startTestCore({ modelsDir: join(appRoot(), 'models'), jobConcurrency: 1 });
    token = await setupAdmin(t);
  });
  afterAll(() => t?.dispose());

  const folder = (name: string): string[] =>
    readdirSync(join(SAMPLES, name))
      .filter((f) => f.endsWith('.dcm') && !f.endsWith('_seg.dcm'))
      .map((f) => join(SAMPLES, name, f));

  it.each([
    ['series-philips-3d-t1-mprage-brain', 170],
    ['series-vs-seg-t1gd-brain-3slices', 3],
    // One Enhanced MR instance of 64 frames, two at each of 32 positions: the volume holds 32
    // slices, each referenced by its instance and Referenced Frame Number.
    ['enhanced-multiframe-mr/dcm_qa_enh/Philips', 32],
  ])(
    '%s: SEG, overlays and report validate; the SEG reads back as the stored mask',
    async (name, slices) => {
      const paths = folder(name);
      const imported = await t.ok('import.files', { paths }, token);
      expect((await t.core.jobs.whenFinished(imported.id)).status).toBe('completed');
      const scanId = asScanId(
        (await t.ok('import.report', { id: imported.id }, token)).scanIds[0]!,
      );
      const job = await t.ok('analysis.start', { scanId, force: true }, token);
      expect((await t.core.jobs.whenFinished(job.id)).error).toBeNull();
      const { mask, analysis } = await t.core.analysis.outputs(scanId);
      expect(analysis.input.dimensions[2]).toBe(slices);

      const outDir = join(t.root, name);
      const started = performance.now();
      const written = await t.core.dicomResults.writeDicomResults(scanId, outDir, {
        reportPdf: await makeTestPdf(`Report of ${name}`),
      });
      const ms = performance.now() - started;
      const lesionVoxels = mask!.reduce((n, v) => n + (v === 0 ? 0 : 1), 0);
      const files = [written.segmentation, written.report!, ...written.overlays];
      const findings = files.map((path) => ({
        path,
        ...validatorFindings(path, ALLOWED_WARNINGS),
      }));
      console.log(
        `${name}: ${analysis.input.dimensions.join('×')} grid, ${lesionVoxels} lesion voxels; ` +
          `wrote SEG ${(statSync(written.segmentation).size / 1e6).toFixed(2)} MB, ` +
          `${written.overlays.length} overlays and the report in ${Math.round(ms)} ms; ` +
          `notes: ${written.notes.join('; ') || 'none'}\n` +
          `dciodvfy on the SEG:\n${findings[0]!.output}` +
          `unexplained warnings over all ${files.length} files: ${[
            ...new Set(findings.flatMap((f) => f.unexplainedWarnings)),
          ].join(' | ')}`,
      );
      for (const f of findings) {
        expect(f.errors, `${f.path}\n${f.output}`).toEqual([]);
        expect(f.unexplainedWarnings, `${f.path}\n${f.output}`).toEqual([]);
      }

      const decoded = join(t.root, `${name}.raw`);
      const seg = runPython<{
        mismatchedFrames: number;
        referencedFrames: number;
        shape: number[];
      }>(DECODE_SEG_PY, [written.segmentation, decoded, ...paths]);
      expect(seg.mismatchedFrames).toBe(0);
      expect(seg.referencedFrames).toBe(slices);
      expect(readFileSync(decoded).equals(Buffer.from(mask!))).toBe(true);
    },
    300_000,
  );
});
