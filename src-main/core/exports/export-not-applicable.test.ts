import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asScanId } from '../../../src-shared/ids.js';
import { makeDicom } from '../../test-support/dicom-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

// The shipped FLAIR model's applicability on an identity model: a chest radiograph is refused
// by the shipped check, and no trained weights are needed.
describe('exporting an analysis that refused its input ("not applicable")', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  it('says the analysis was not applicable, not that the mask is missing, and ships the results', async () => {
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
    const imported = await t.ok('import.files', { paths: [path] }, token);
    expect((await t.core.jobs.whenFinished(imported.id)).status).toBe('completed');
    const scanId = asScanId((await t.ok('import.report', { id: imported.id }, token)).scanIds[0]!);
    const analysed = await t.ok('analysis.start', { scanId }, token);
    expect((await t.core.jobs.whenFinished(analysed.id)).status).toBe('completed');
    const analysis = await t.ok('analysis.get', { scanId }, token);
    expect(analysis.findings.kind).toBe('not-applicable');
    expect(analysis.outputs.hasMask).toBe(false);

    const bundle = await t.core.exports.analysisBundle(scanId);
    expect(bundle.warnings).toEqual([
      expect.stringMatching(
        /^no mask: the analysis found the input not applicable and ran no model\. This model reads axial brain FLAIR MR; this series is CR chest/,
      ),
    ]);
    expect(bundle.warnings.join(' ')).not.toMatch(/missing/);

    const zipPath = join(t.root, bundle.fileName);
    writeFileSync(zipPath, bundle.bytes);
    const names = execFileSync('/usr/bin/unzip', ['-Z1', zipPath], { encoding: 'utf8' });
    const [resultsName] = names.trim().split('\n');
    expect(names.trim().split('\n')).toEqual([expect.stringMatching(/_results\.json$/)]);
    const results = JSON.parse(
      execFileSync('/usr/bin/unzip', ['-p', zipPath, resultsName!], { encoding: 'utf8' }),
    ) as unknown;
    expect(results).toEqual(analysis);
  });
});
