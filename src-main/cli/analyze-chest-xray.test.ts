import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src-shared/contract/analysis.js';
import { decodePng } from '../core/imaging/png-decode.js';
import { appRoot } from '../core/platform/version.js';
import { chestPixel } from '../test-support/chest-fixtures.js';
import { makeDicom } from '../test-support/dicom-fixtures.js';
import { makePng } from '../test-support/image-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

// `neurosphere analyze` on generated chest radiographs with the shipped models (brain MR,
// sequence gate and chest X-ray): each gets normal/pneumonia with its probability and a heatmap.

interface InputDocument {
  paths: string[];
  status: string;
  analysis?: Analysis;
  outputs?: { mask: string | null; heatmap: string | null; overlay: string | null };
}

let root: string;
let dataDir: string;
let incoming: string;
const env = { NEUROSPHERE_MODELS_DIR: join(appRoot(), 'models') };

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-analyze-cxr-'));
  dataDir = join(root, 'data');
  incoming = join(root, 'incoming');
  mkdirSync(incoming);
  const [rows, columns] = [1200, 1000];
  writeFileSync(
    join(incoming, 'cr.dcm'),
    makeDicom({
      modality: 'CR',
      rows,
      columns,
      bitsAllocated: 16,
      bitsStored: 12,
      seriesDescription: 'PA',
      pixel: chestPixel(rows, columns, 4095, true),
      extraAttributes: { PhotometricInterpretation: 'MONOCHROME1', BodyPartExamined: 'CHEST' },
    }),
  );
  const pixel = chestPixel(512, 512, 255);
  writeFileSync(
    join(incoming, 'picture.png'),
    makePng(512, 512, (x, y) => pixel(y, x)),
  );
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const analyze = (...args: string[]) =>
  runCliProcess(['analyze', ...args, '--data-dir', dataDir], { env });

describe('neurosphere analyze on chest radiographs', () => {
  it('gives normal or pneumonia with its probability and writes the heatmap (--json)', async () => {
    const out = join(root, 'out');
    const run = await analyze(
      join(incoming, 'cr.dcm'),
      join(incoming, 'picture.png'),
      '--out',
      out,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const { inputs } = JSON.parse(run.stdout) as { inputs: InputDocument[] };
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      expect(input.status).toBe('completed');
      const analysis = input.analysis!;
      expect(analysis.pipeline).toBe('chest-xray');
      if (analysis.findings.kind !== 'chest-xray') throw new Error(analysis.findings.kind);
      const { label, probabilities, statement } = analysis.findings;
      expect(probabilities[label]).toBeGreaterThanOrEqual(0.5);
      expect(statement).toMatch(/^(Pneumonia suggested|No pneumonia seen)/);
      expect(analysis.models.classification?.id).toBe('chest-xray-pneumonia');
      expect(input.outputs?.mask).toBeNull();
      const heatmap = decodePng(readFileSync(input.outputs!.heatmap!));
      expect(heatmap.samplesPerPixel).toBe(3);
      expect(heatmap.rows).toBeGreaterThan(0);
    }
    expect(inputs[0]!.outputs?.heatmap).toBe(join(out, 'cr_heatmap.png'));
    expect(inputs[1]!.outputs?.overlay).toBe(join(out, 'picture_overlay.png'));
    if (inputs[0]!.analysis?.findings.kind === 'chest-xray')
      expect(inputs[0]!.analysis.findings.qualityNotes.map((n) => n.code)).toContain(
        'inverted-photometric',
      );
  });

  it('prints the label, its probability and the statement for people', async () => {
    const run = await analyze(join(incoming, 'cr.dcm'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Chest X-ray\s+(normal|pneumonia) \d+%/);
    expect(run.stdout).toMatch(/Finding\s+(Pneumonia suggested|No pneumonia seen)/);
    expect(run.stdout).toMatch(/p\(pneumonia\)\s+0\.\d{3}/);
    // No mask is what a chest X-ray reading is, not a missing file.
    expect(run.stdout).not.toContain('no mask');
    expect(run.stderr).toMatch(
      /1 analysed \(\d with pneumonia suggested\), 0 failed, 0 rejected\./,
    );
  });
});
