import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brainTumourFindings, type Analysis } from '../../../src-shared/contract/analysis.js';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import {
  analyseScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { appRoot } from '../platform/version.js';

// Real public images through the core with the shipped models and the learned image gate, as a
// user imports them: a chest radiograph of a gate validation patient (never trained on), and the
// LGG FLAIR slice with the largest tumour (a PNG: no header says which sequence it is).
const chestPresent = hasSharedData('chest-xray-pneumonia-224', 'SOURCE.md');
const lggPresent = hasSharedData('lgg-flair-seg', 'slices.csv');

/** The first file of the first chest validation patient in models/sequence-gate/split.json. */
function validationChestFile(): string {
  const split = JSON.parse(
    readFileSync(join(appRoot(), 'models', 'sequence-gate', 'split.json'), 'utf8'),
  ) as { validationSubjects: Record<string, string[]> };
  const token = split.validationSubjects['chest-xray']![0]!;
  for (const folder of ['NORMAL', 'PNEUMONIA']) {
    const dir = join(SHARED_DATA, 'chest-xray-pneumonia-224', folder);
    const match = readdirSync(dir)
      .sort()
      .find((f) => f.startsWith(`${token}_`) || f.startsWith(`${token}-`));
    if (match !== undefined) return join(dir, match);
  }
  throw new Error(`no chest radiograph of validation patient ${token}`);
}

/** The LGG FLAIR slice with the most tumour pixels. */
function largestLggTumourSlice(): string {
  const rows = readFileSync(join(SHARED_DATA, 'lgg-flair-seg', 'slices.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const best = rows.reduce((a, b) => (Number(b[5]) > Number(a[5]) ? b : a));
  return join(SHARED_DATA, 'lgg-flair-seg', best[3]!);
}

describe('the learned image gate on real images', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ providerPreference: 'cpu' });
    token = await setupAdmin(t);
    for (const id of ['lgg-flair-unet', 'brain-tumour-4class', 'sequence-gate'])
      cpSync(join(appRoot(), 'models', id), join(t.root, 'models', id), { recursive: true });
  });
  afterAll(() => t.dispose());

  async function importPath(path: string): Promise<string> {
    const job = await t.ok('import.files', { paths: [path] }, token);
    expect((await t.core.jobs.whenFinished(job.id)).status).toBe('completed');
    return (await t.ok('import.report', { id: job.id }, token)).scanIds[0]!;
  }

  const analyse = (scanId: string, force?: boolean): Promise<Analysis> =>
    analyseScan(t, token, scanId, force);

  it.runIf(chestPresent)(
    'a chest radiograph is not applicable; forced, it carries a warning',
    async () => {
      const scanId = await importPath(validationChestFile());
      const refused = await analyse(scanId);
      expect(refused.findings).toEqual({
        kind: 'not-applicable',
        reason: 'This model reads axial brain FLAIR MR; this image looks like a chest radiograph.',
      });
      expect(refused.applicability.checkedFrom).toContain('image-gate');
      expect(await t.ok('dashboard.stats', {}, token)).toMatchObject({ analysedScans: 0 });

      const forced = await analyse(scanId, true);
      expect(forced.applicability.verdict).toBe('forced');
      expect(forced.warnings[0]).toMatch(
        /^Run on request although the input is not what the model reads: .*looks like a chest radiograph\. The findings may not be valid\.$/,
      );
    },
  );

  it.runIf(lggPresent)(
    'an LGG FLAIR slice: the lesion stands, "notumor" is never shown beside it',
    async () => {
      const analysis = await analyse(await importPath(largestLggTumourSlice()));
      expect(analysis.applicability.verdict).toBe('applicable');
      const findings = brainTumourFindings(analysis)!;
      expect(findings.tumourDetected).toBe(true);
      // A PNG says no sequence: the classifier runs, and its answer is read against the lesion.
      expect(findings.tumourType?.status).toMatch(/^(suggested|undetermined)$/);
      expect(JSON.stringify(findings.tumourType)).not.toMatch(/notumor/);
      expect(analysis.notes).not.toMatch(/notumor/);
    },
  );
});
