import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../../test-support/image-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

describe('the health endpoint names the execution provider', () => {
  let t: TestCore;
  afterEach(() => t.dispose());

  it('says "unknown" before the first model loads, then the provider and why not the GPU', async () => {
    t = startTestCore();
    installFlairIdentityModel(join(t.root, 'models'));
    expect(t.core.health().inference).toEqual({
      provider: 'unknown',
      gpuNote: null,
      gpu: null,
    });

    const token = await setupAdmin(t);
    const picture = join(t.inputDir, 'spot.png');
    writeFileSync(
      picture,
      makePng(8, 8, (x, y) => (x > 3 && y > 3 ? 220 : 20)),
    );
    const scanId = await importScan(t, token, [picture]);
    const analysis = await analyseScan(t, token, scanId, true);

    const health = await t.ok('system.health', {}, token);
    const info = await t.ok('system.info', {}, token);
    // The same answer as the About page's, from the provider the analysis really ran on.
    expect(health.inference.provider).toBe(analysis.provider);
    expect(health.inference.provider).toBe(info.executionProvider);
    expect(health.inference.gpuNote).toBe(info.executionProviderNote);
    if (health.inference.provider === 'cpu') {
      // This machine has no usable GPU provider: the note must say why.
      expect(health.inference.gpuNote).toEqual(expect.stringMatching(/\S/));
    }
  }, 60_000);
});
