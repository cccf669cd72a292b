import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { appRoot } from '../platform/version.js';

// Real series from public DICOM collections, read by the app with the shipped manifests: the
// FLAIR model must refuse what it was not made for, in words a radiologist reads, before any
// model runs. No learned gate is involved: these are refused from their DICOM attributes.
const SAMPLES = join(SHARED_DATA, 'dicom-samples');
const present = hasSharedData('dicom-samples', 'DICOM_INDEX.csv');

describe.skipIf(!present)('applicability of the shipped FLAIR model to real series', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ modelsDir: join(appRoot(), 'models'), jobConcurrency: 1 });
    token = await setupAdmin(t);
  });
  afterAll(() => t?.dispose());

  async function analyse(paths: string[]) {
    const imported = await t.ok('import.files', { paths }, token);
    expect((await t.core.jobs.whenFinished(imported.id)).status).toBe('completed');
    const scanId = (await t.ok('import.report', { id: imported.id }, token)).scanIds[0]!;
    const job = await t.ok('analysis.start', { scanId }, token);
    expect((await t.core.jobs.whenFinished(job.id)).error).toBeNull();
    return t.ok('analysis.get', { scanId }, token);
  }

  const folder = (name: string): string[] =>
    readdirSync(join(SAMPLES, name))
      .filter((f) => f.endsWith('.dcm'))
      .map((f) => join(SAMPLES, name, f));

  it.each([
    ['series-philips-3d-t1-mprage-brain', /the sequence is T1\b/],
    // T1 after gadolinium, but its header says only "t1_mpr_tra_gk_v4" (no Contrast/Bolus Agent):
    // refused as T1, which it is; telling post-contrast apart is the learned gate's job.
    ['series-vs-seg-t1gd-brain-3slices', /this series is MR T1 \(axial\): the sequence is T1\.$/],
    ['series-ct-3slice-with-seg', /the modality is CT, not MR/],
  ])('%s is not applicable', async (name, why) => {
    const analysis = await analyse(folder(name).filter((p) => !p.endsWith('_seg.dcm')));
    console.log(`${name}: ${analysis.applicability.reasons.join(' ')}`);
    expect(analysis.findings.kind).toBe('not-applicable');
    expect(analysis.applicability.reasons[0]).toMatch(/^This model reads axial brain FLAIR MR; /);
    expect(analysis.applicability.reasons[0]).toMatch(why);
    expect(analysis.provider).toBeNull();
  });

  // A radiograph goes to the chest X-ray pipeline (issue 18), never to the brain models; a CR of
  // the cervical spine is refused there, from its header, with the body part named.
  it('a CR of the cervical spine is refused by the chest X-ray model, not read as a brain', async () => {
    const name = 'pydicom-test-files/dicomdirtests/77654033/CR1';
    const analysis = await analyse([join(SAMPLES, name, '6154')]);
    console.log(`${name}: ${analysis.applicability.reasons.join(' ')}`);
    expect(analysis.findings.kind).toBe('not-applicable');
    expect(analysis.pipeline).not.toBe('brain-mr-tumour');
    expect(analysis.applicability.reasons[0]).toMatch(/^This model reads frontal chest radiograph/);
    expect(analysis.applicability.reasons[0]).toMatch(/the body part is cervical spine/);
    expect(analysis.provider).toBeNull();
  });
});
