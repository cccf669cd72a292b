import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src-shared/contract/analysis.js';
import { decodePng } from '../core/imaging/png-decode.js';
import { readNiftiVolume } from '../core/imaging/nifti/nifti-volume.js';
import { hasSharedData, readCsv, SHARED_DATA } from '../test-support/shared-data.js';
import { ensureBuilt, REPO_ROOT, runCliProcess } from './testing/run-cli.js';
import { brainTumourFindings } from '../../src-shared/contract/analysis.js';

// `neurosphere analyze` end to end with the shipped models on public data: LGG FLAIR slices of
// validation patients (PNG, one folder per patient) and a BraTS FLAIR volume (NIfTI). The masks
// it writes are scored against the expert masks; the floors are the model card's own per-patient
// figures (models/lgg-flair-unet/metrics.json) minus 2 points, i.e. the app must reproduce them.
const hasLgg = hasSharedData('lgg-flair-seg', 'slices.csv');
const hasBrats = hasSharedData('brats2018-3d-nifti', 'SOURCE.md');
const metrics = JSON.parse(
  readFileSync(join(REPO_ROOT, 'models/lgg-flair-unet/metrics.json'), 'utf8'),
) as {
  validation: { dice_per_patient: Record<string, number> };
  brats: { dice_per_case?: Record<string, number> } & Record<string, unknown>;
};

interface InputDocument {
  paths: string[];
  status: string;
  analysis?: Analysis;
  outputs?: { mask: string | null; heatmap: string | null; overlay: string | null };
}

let root: string;
beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-data-analyze-'));
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function analyze(input: string, out: string): Promise<InputDocument[]> {
  const run = await runCliProcess([
    'analyze',
    input,
    '--out',
    out,
    '--json',
    '--data-dir',
    join(root, 'data'),
  ]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { inputs: InputDocument[] }).inputs;
}

describe.skipIf(!hasLgg)('neurosphere analyze on LGG FLAIR slices (PNG)', () => {
  const slices = hasLgg ? readCsv(join(SHARED_DATA, 'lgg-flair-seg', 'slices.csv')) : [];

  for (const patient of ['TCGA_DU_6400', 'TCGA_HT_8113']) {
    it(`${patient}: masks per slice, 3D Dice as in the model card, classification with heatmaps`, async () => {
      const folder = join(root, patient);
      mkdirSync(folder);
      const rows = slices.filter((r) => r['patient_id'] === patient);
      // Only the images: the expert masks stay aside for scoring.
      for (const r of rows)
        copyFileSync(
          join(SHARED_DATA, 'lgg-flair-seg', r['image']!),
          join(folder, basename(r['image']!)),
        );
      const out = join(root, `${patient}-out`);
      const inputs = await analyze(folder, out);
      expect(inputs).toHaveLength(rows.length);

      let overlap = 0;
      let predicted = 0;
      let actual = 0;
      for (const r of rows) {
        const name = basename(r['image']!, '.png');
        const mask = decodePng(readFileSync(join(out, `${name}_mask.png`))).data;
        const truth = decodePng(readFileSync(join(SHARED_DATA, 'lgg-flair-seg', r['mask']!))).data;
        for (let i = 0; i < mask.length; i++) {
          expect(mask[i]! <= 1).toBe(true);
          const p = mask[i] === 1;
          const g = truth[i]! > 127;
          if (p) predicted++;
          if (g) actual++;
          if (p && g) overlap++;
        }
      }
      const dice = (2 * overlap) / (predicted + actual);
      const card = metrics.validation.dice_per_patient[patient]!;
      console.log(
        `${patient}: 3D Dice ${dice.toFixed(3)} (card ${card.toFixed(3)}) over ${rows.length} slices`,
      );
      expect(dice).toBeGreaterThanOrEqual(card - 0.02);

      const withTumour = inputs.filter(
        (i) => i.analysis !== undefined && brainTumourFindings(i.analysis)?.tumourDetected === true,
      );
      expect(withTumour.length).toBeGreaterThan(0);
      const example = withTumour[0]!;
      expect(brainTumourFindings(example.analysis!)?.detections[0]?.units).toBe('pixels');
      expect(brainTumourFindings(example.analysis!)?.classification?.label).toMatch(
        /glioma|meningioma|pituitary|notumor/,
      );
      expect(existsSync(example.outputs?.heatmap ?? '')).toBe(true);
    }, 600_000);
  }
});

describe.skipIf(!hasBrats)('neurosphere analyze on a BraTS FLAIR volume (NIfTI)', () => {
  it('writes a NIfTI mask in the input geometry that scores as in the model card', async () => {
    const caseId = 'Brats18_CBICA_AQN_1';
    const flair = join(SHARED_DATA, 'brats2018-3d-nifti', caseId, `${caseId}_flair.nii.gz`);
    const out = join(root, 'brats-out');
    const [input] = await analyze(flair, out);
    expect(input?.analysis?.input.units).toBe('mm');
    expect(brainTumourFindings(input!.analysis!)?.detections[0]?.metrics.kind).toBe('volume');
    const maskPath = join(out, `${caseId}_flair_mask.nii.gz`);
    const file = gunzipSync(readFileSync(maskPath));
    expect([1, 2, 3].map((i) => file.readInt16LE(40 + 2 * i))).toEqual([240, 240, 155]);
    const mask = readNiftiVolume(readFileSync(maskPath), { maxBytes: 1 << 30 });
    const image = readNiftiVolume(readFileSync(flair), { maxBytes: 1 << 30 });
    expect(mask.origin.map((v) => Math.round(v * 100) / 100)).toEqual(
      image.origin.map((v) => Math.round(v * 100) / 100),
    );
    const label = readNiftiVolume(
      readFileSync(join(SHARED_DATA, 'brats2018-3d-nifti', caseId, `${caseId}_seg.nii.gz`)),
      { maxBytes: 1 << 30 },
    );
    let overlap = 0;
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < mask.data.length; i++) {
      const p = mask.data[i]! > 0;
      const g = label.data[i]! > 0;
      if (p) predicted++;
      if (g) actual++;
      if (p && g) overlap++;
    }
    const dice = (2 * overlap) / (predicted + actual);
    const card = JSON.parse(
      readFileSync(join(REPO_ROOT, 'models/lgg-flair-unet/manifest.json'), 'utf8'),
    ).metrics[`bratsDice_${caseId}`] as number;
    console.log(`${caseId}: Dice ${dice.toFixed(3)} (card ${card.toFixed(3)})`);
    expect(dice).toBeGreaterThanOrEqual(card - 0.02);
  }, 600_000);
});
