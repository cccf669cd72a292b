import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src-shared/contract/analysis.js';
import { appRoot } from '../core/platform/version.js';
import { hasSharedData, SHARED_DATA } from '../test-support/shared-data.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

// `neurosphere analyze` on real chest X-ray JPEGs of the model card's test split (never trained
// on): one normal, one pneumonia, each with the right label, its probability and a heatmap.
const DATA = join(SHARED_DATA, 'chest-xray-pneumonia-224');
const present = hasSharedData('chest-xray-pneumonia-224', 'SOURCE.md');
const FILES = {
  normal: join(DATA, 'NORMAL', 'IM-0469-0001.jpeg'),
  pneumonia: join(DATA, 'PNEUMONIA', 'person1518_bacteria_3969.jpeg'),
};

describe.skipIf(!present)(
  present
    ? 'neurosphere analyze on chest X-ray JPEGs of the test split'
    : `chest X-ray CLI data test skipped: ${DATA} is absent`,
  () => {
    let root: string;
    beforeAll(async () => {
      await ensureBuilt();
      root = mkdtempSync(join(tmpdir(), 'neurosphere-cxr-data-'));
    }, 180_000);
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('says normal for the normal radiograph and pneumonia for the other, with heatmaps', async () => {
      const out = join(root, 'out');
      const run = await runCliProcess(
        [
          'analyze',
          FILES.normal,
          FILES.pneumonia,
          '--out',
          out,
          '--json',
          '--data-dir',
          join(root, 'data'),
        ],
        { env: { NEUROSPHERE_MODELS_DIR: join(appRoot(), 'models') } },
      );
      expect(run.code, run.stderr).toBe(0);
      const { inputs } = JSON.parse(run.stdout) as {
        inputs: Array<{ analysis: Analysis; outputs: { heatmap: string | null } }>;
      };
      const labels = inputs.map(({ analysis }) =>
        analysis.findings.kind === 'chest-xray' ? analysis.findings.label : analysis.findings.kind,
      );
      expect(labels).toEqual(['normal', 'pneumonia']);
      for (const input of inputs) {
        expect(input.analysis.pipeline).toBe('chest-xray');
        expect(existsSync(input.outputs.heatmap ?? '')).toBe(true);
      }
    });
  },
);
