import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../test-support/image-fixtures.js';
import { installBrightSpotModel } from '../test-support/model-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

interface Document {
  inputs: Array<{ paths: string[]; status: string; error?: { code: string; message: string } }>;
}

let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-analyze-scale-'));
  installBrightSpotModel(join(root, 'models'));
  env = { NEUROSPHERE_MODELS_DIR: join(root, 'models') };
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 64×64 slices, no two alike (no duplicates), ten to a case folder as exports come. */
function writeSlices(count: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = join(root, 'export', `case-${String(Math.floor(i / 10)).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `flair-slice-${String(i).padStart(4, '0')}.png`);
    const spotY = 12 + 8 * Math.floor(i / 200);
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => {
        if ((x - 32) ** 2 + (y - 32) ** 2 > 30 ** 2) return 0;
        if (x >= 20 && x < 28 && y >= spotY && y < spotY + 8) return 250;
        return 20 + (i % 200);
      }),
    );
    paths.push(path);
  }
  return paths;
}

describe('neurosphere analyze at scale', () => {
  it('analyses 500 PNG slices named on one command line', async () => {
    const paths = writeSlices(500);
    // onnxruntime reads the command line when it loads a model: more than ~16 KB of it used to
    // overflow the stack of the inference thread (exit 139) before the first slice was analysed.
    expect(paths.join(' ').length).toBeGreaterThan(30_000);
    const run = await runCliProcess(
      [
        'analyze',
        ...paths,
        '--classifier',
        'none',
        '--model',
        'bright-spot',
        '--json',
        '--data-dir',
        join(root, 'data'),
      ],
      { env },
    );
    expect(run.stderr).not.toMatch(/Segmentation fault/);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as Document;
    expect(document.inputs).toHaveLength(500);
    expect(document.inputs.filter((input) => input.status === 'completed')).toHaveLength(500);
  }, 600_000);
});
