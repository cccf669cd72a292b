import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import { createImagingClient, type ImagingClient } from './imaging-client.js';
import { readNiftiVolume } from './nifti/nifti-volume.js';
import { decodePng } from './png-decode.js';

const LIMITS = { maxFileBytes: 64 * 1024 * 1024, maxDecodedBytes: 256 * 1024 * 1024 };
const TEST_WORKER = new URL('./imaging-test-worker.ts', import.meta.url);

// A flipped sform, so the worker must reorient (the canonical order is not the file's).
const FLIPPED: [number[], number[], number[]] = [
  [-1, 0, 0, 10],
  [0, 1, 0, 0],
  [0, 0, 2, 0],
];

describe('imaging client: NIfTI volumes and pictures decoded in the worker pool', () => {
  let dir: string;
  let imaging: ImagingClient;
  const write = (name: string, data: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeTempDir(dir));
  afterEach(() => imaging.close());

  it('returns the same volume and picture as decoding them on this thread', async () => {
    imaging = createImagingClient({ ...LIMITS, workers: 1, taskTimeoutMs: 10_000, maxHeapMb: 256 });
    const nifti = write('t1.nii.gz', makeNifti({ dims: [7, 5, 3], sform: FLIPPED, gzip: true }));
    const volume = await imaging.loadNiftiVolume(nifti);
    const inline = readNiftiVolume(readFileSync(nifti), { maxBytes: LIMITS.maxDecodedBytes });
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect(volume).toEqual(inline);

    const png = write('photo.png', makePng(9, 4));
    const { data, ...frame } = await imaging.decodePicture(png, 'png');
    const { data: inlineData, ...inlineFrame } = decodePng(readFileSync(png));
    expect(frame).toEqual(inlineFrame);
    expect(new Uint8Array(data)).toEqual(inlineData);
  });

  it('turns a worker that crashes or hangs on a NIfTI file into a clear error, then goes on', async () => {
    imaging = createImagingClient({
      ...LIMITS,
      workers: 1,
      taskTimeoutMs: 1_500,
      maxHeapMb: 256,
      script: TEST_WORKER,
    });
    const good = write('good.nii', makeNifti({ dims: [4, 4, 2], datatype: 'uint8' }));
    const crash = write('crash.nii', readFileSync(good));
    const stuck = write('stuck.nii', readFileSync(good));

    const crashed = await imaging.loadNiftiVolume(crash).catch((error: unknown) => error);
    expect(crashed).toBeInstanceOf(AppError);
    expect(crashed).toMatchObject({
      code: 'CORRUPT_FILE',
      details: { failure: 'crashed' },
      message: expect.stringMatching(/set aside because its reader stopped.*may be damaged/),
    });
    expect((await imaging.loadNiftiVolume(good)).dims).toEqual([4, 4, 2]);

    await expect(imaging.loadNiftiVolume(stuck)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      details: { failure: 'timeout' },
    });
    expect((await imaging.loadNiftiVolume(good)).data).toBeInstanceOf(Uint8Array);
  });

  it('passes a damaged file’s own error through unchanged', async () => {
    imaging = createImagingClient({ ...LIMITS, workers: 1, taskTimeoutMs: 10_000, maxHeapMb: 256 });
    const file = makeNifti({ dims: [8, 8, 8], gzip: true });
    const truncated = write('truncated.nii.gz', file.subarray(0, file.length - 40));
    await expect(imaging.loadNiftiVolume(truncated)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringMatching(/NIfTI/),
    });
  });
});

describe('frame service: stored NIfTI volumes and pictures go through the imaging pool', () => {
  let t: TestCore;
  let token: string;
  afterEach(() => t.dispose());

  it('loads a NIfTI volume once in the pool, then slices it here; decodes pictures there', async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    const nifti = join(t.inputDir, 'brain.nii.gz');
    writeFileSync(nifti, makeNifti({ dims: [6, 5, 4], gzip: true }));
    const png = join(t.inputDir, 'photo.png');
    writeFileSync(png, makePng(6, 3));
    const { report } = await runImport(t, token, [nifti, png]);
    const [niftiScan, pngScan] = report.scanIds as [string, string];

    const load = vi.spyOn(t.core.imaging, 'loadNiftiVolume');
    const picture = vi.spyOn(t.core.imaging, 'decodePicture');
    for (let k = 0; k < 4; k++) {
      const frame = await t.core.frames.getFrame(niftiScan, k);
      expect(frame.info).toMatchObject({ rows: 5, columns: 6, frameCount: 4, dtype: 'int16' });
    }
    expect(load).toHaveBeenCalledTimes(1);
    const frame = await t.core.frames.getFrame(pngScan, 0);
    expect(picture).toHaveBeenCalledTimes(1);
    expect(frame.info).toMatchObject({ rows: 3, columns: 6, dtype: 'uint8' });
  });
});
