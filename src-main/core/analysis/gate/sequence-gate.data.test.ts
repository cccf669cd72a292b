import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../../test-support/shared-data.js';
import { decodeJpeg } from '../../imaging/jpeg-decode.js';
import { readNiftiVolume } from '../../imaging/nifti/nifti-volume.js';
import { createInferenceEngine } from '../../inference/inference-engine.js';
import { createModelRegistry } from '../../inference/model-registry.js';
import { memoryLogger } from '../../platform/logger.js';
import { appRoot } from '../../platform/version.js';
import { runSequenceGate, type GateImage } from './sequence-gate.js';

// The shipped gate run the way the app will run it (decoders of the app → prepareGateInput →
// onnxruntime-node → readGateOutput) on real public files. The chest radiograph belongs to a
// validation patient (never trained on). The BraTS volumes were all in the shipped model's
// training set (only 11 patients; their out-of-patient figures are on the model card), so the
// BraTS cases check the app's decoding and slicing path, not the model's generalisation.
const MODELS_DIR = join(appRoot(), 'models');
const chestPresent = hasSharedData('chest-xray-pneumonia-224', 'SOURCE.md');
const bratsPresent = hasSharedData('brats2018-3d-nifti', 'SOURCE.md');
const BRATS_CASE = 'Brats18_TCIA02_370_1';

/** The first file of the first chest validation patient in models/sequence-gate/split.json. */
function validationChestFile(): string {
  const split = JSON.parse(
    readFileSync(join(MODELS_DIR, 'sequence-gate', 'split.json'), 'utf8'),
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

/** Axial slice z of a BraTS volume (x fastest, then y): rows = y, columns = x. */
function bratsAxialSlice(sequence: 'flair' | 't1ce', z: number): GateImage {
  const volume = readNiftiVolume(
    readFileSync(
      join(SHARED_DATA, 'brats2018-3d-nifti', BRATS_CASE, `${BRATS_CASE}_${sequence}.nii.gz`),
    ),
    { maxBytes: 1 << 30 },
  );
  const [width, height] = volume.dims;
  const size = width * height;
  return { pixels: volume.data.subarray(z * size, (z + 1) * size), width, height };
}

describe('sequence gate on real images', () => {
  const registry = createModelRegistry(MODELS_DIR);
  const engine = createInferenceEngine({
    registry,
    logger: memoryLogger(),
    preference: 'cpu',
    threads: 1,
  });
  afterAll(() => engine.close());

  const gate = async (image: GateImage) =>
    runSequenceGate({ engine, manifest: (await registry.verify('sequence-gate')).manifest, image });

  it.skipIf(!chestPresent)(
    'calls a chest radiograph of a validation patient chest-xray',
    async () => {
      const frame = await decodeJpeg(readFileSync(validationChestFile()));
      const reading = await gate({
        pixels: frame.data,
        width: frame.columns,
        height: frame.rows,
        samplesPerPixel: frame.samplesPerPixel,
      });
      expect(reading.label).toBe('chest-xray');
      expect(reading.confident).toBe(true);
    },
  );

  it.skipIf(!bratsPresent)('calls a BraTS FLAIR slice brain-flair', async () => {
    const reading = await gate(bratsAxialSlice('flair', 80));
    expect(reading.label).toBe('brain-flair');
  });

  it.skipIf(!bratsPresent)('calls the BraTS T1 post-contrast slice brain-t1c', async () => {
    const reading = await gate(bratsAxialSlice('t1ce', 80));
    expect(reading.label).toBe('brain-t1c');
  });
});
