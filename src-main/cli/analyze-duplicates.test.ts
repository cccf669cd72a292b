import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../test-support/image-fixtures.js';
import { installBrightSpotModel } from '../test-support/model-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

interface Document {
  inputs: Array<{
    paths: string[];
    scanId: string | null;
    status: string;
    sameFileAs?: string;
    jobId?: string;
    outputs?: { mask: string | null };
  }>;
}

let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-analyze-dup-'));
  installBrightSpotModel(join(root, 'models'));
  env = { NEUROSPHERE_MODELS_DIR: join(root, 'models') };
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('neurosphere analyze with the same file under two paths', () => {
  it('writes an output for each path and says which inputs were the same file', async () => {
    const picture = makePng(64, 64, (x, y) => (x >= 20 && x < 30 && y >= 20 && y < 30 ? 250 : 60));
    for (const folder of ['monday', 'tuesday']) mkdirSync(join(root, folder));
    const first = join(root, 'monday', 'slice.png');
    const second = join(root, 'tuesday', 'slice.png');
    const renamed = join(root, 'tuesday', 'copy-of-slice.png');
    for (const path of [first, second, renamed]) writeFileSync(path, picture);
    const out = join(root, 'out');

    const run = await runCliProcess(
      [
        'analyze',
        first,
        second,
        renamed,
        '--classifier',
        'none',
        '--model',
        'bright-spot',
        '--out',
        out,
        '--json',
        '--data-dir',
        join(root, 'data'),
      ],
      { env },
    );
    expect(run.stderr).toMatch(/Analysis 1 of 1 /);
    expect(run.code).toBe(0);
    const { inputs } = JSON.parse(run.stdout) as Document;
    expect(inputs.map((input) => input.paths)).toEqual([[first], [second], [renamed]]);
    expect(inputs.every((input) => input.status === 'completed')).toBe(true);
    // One scan, analysed once: the copies share its result.
    expect(new Set(inputs.map((input) => input.scanId)).size).toBe(1);
    expect(new Set(inputs.map((input) => input.jobId)).size).toBe(1);
    expect(inputs.map((input) => input.sameFileAs)).toEqual([undefined, first, first]);
    const masks = inputs.map((input) => input.outputs?.mask);
    expect(masks).toEqual([
      join(out, 'slice_mask.png'),
      join(out, 'slice-2_mask.png'),
      join(out, 'copy-of-slice_mask.png'),
    ]);
    for (const mask of masks) expect(existsSync(mask ?? '')).toBe(true);
  }, 120_000);
});
