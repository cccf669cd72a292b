import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseLabelBox } from '../../../src-shared/contract/labels.js';
import { fixtureUid, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';

describe('the labels.box stream with a real core', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array): string => {
    const path = join(t.inputDir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    return path;
  };

  async function importScanWithLabels(
    label: (i: number, j: number, k: number) => number,
  ): Promise<{ scanId: string; segmentationId: string }> {
    const { report } = await runImport(t, token, [
      write('t1.nii', makeNifti({ dims: [20, 18, 12], voxel: (i) => 50 + i })),
    ]);
    const scanId = report.scanIds[0]!;
    const seg = write(
      'labels/seg.nii.gz',
      makeNifti({ dims: [20, 18, 12], datatype: 'uint8', gzip: true, voxel: label }),
    );
    const started = await t.ok('import.files', { paths: [seg], segmentationOf: scanId }, token);
    await t.core.jobs.whenFinished(started.id);
    const detail = await t.ok('scans.get', { id: scanId }, token);
    return { scanId, segmentationId: detail.segmentations.at(-1)!.id };
  }

  const stream = (params: { scanId: string; source: string }) =>
    t.core.router.stream('labels.box', params, { transport: 'test', token });

  it('sends only the labelled box, with its offset, equal to that part of the whole volume', async () => {
    // Two regions of a BraTS-like map: labels 2 and 4, and nothing elsewhere.
    const { scanId, segmentationId } = await importScanWithLabels((i, j, k) =>
      i >= 5 && i <= 9 && j >= 3 && j <= 6 && k >= 2 && k <= 4
        ? 2
        : i === 11 && j === 8 && k === 7
          ? 4
          : 0,
    );
    const answer = await stream({ scanId, source: segmentationId });
    if (!answer.ok) throw new Error(answer.error.message);
    const { description, data } = answer.value;
    const box = parseLabelBox(description, data as Uint8Array);
    expect(box).not.toBeNull();
    const whole = await t.core.labels.getVolume(scanId, segmentationId);
    expect(box!.info).toMatchObject({ columns: 20, rows: 18, frames: 12, labels: [2, 4] });
    const { offset, size } = box!.info;
    expect(box!.data.length).toBe(size[0] * size[1] * size[2]);
    // The box holds every labelled voxel of the volume, each at offset + its index.
    let labelledInBox = 0;
    for (let z = 0; z < size[2]; z++)
      for (let y = 0; y < size[1]; y++)
        for (let x = 0; x < size[0]; x++) {
          const value = box!.data[x + size[0] * (y + size[1] * z)]!;
          const at = offset[0] + x + 20 * (offset[1] + y + 18 * (offset[2] + z));
          expect(value).toBe(whole.data[at]);
          if (value !== 0) labelledInBox++;
        }
    expect(labelledInBox).toBe(whole.data.filter((v) => v !== 0).length);
    expect(labelledInBox).toBe(5 * 4 * 3 + 1);
    // A fraction of the whole grid's bytes.
    expect(box!.data.length).toBeLessThan(whole.data.length / 10);

    const audited = t.core.db
      .prepare("SELECT target, details FROM audit_log WHERE action = 'labels.read'")
      .all();
    expect(audited).toEqual([
      { target: scanId, details: JSON.stringify({ source: segmentationId, box: true }) },
    ]);
  });

  it('answers an empty box for a label map with nothing labelled', async () => {
    const { scanId, segmentationId } = await importScanWithLabels(() => 0);
    const answer = await stream({ scanId, source: segmentationId });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value.description).toMatchObject({ size: [0, 0, 0], labels: [] });
    expect((answer.value.data as Uint8Array).length).toBe(0);
  });

  it('decodes a label map once for the 2D overlay and the 3D box, and checks the records each time', async () => {
    const { scanId, segmentationId } = await importScanWithLabels((i, j, k) =>
      i > 10 && j > 10 && k > 5 ? 1 : 0,
    );
    const load = vi.spyOn(t.core.imaging, 'loadNiftiVolume');
    const volume = await t.core.labels.getVolume(scanId, segmentationId);
    // The label map, and the scan's own volume for its frame grid: each read once.
    const loadsForTheFirstRead = load.mock.calls.length;
    expect(loadsForTheFirstRead).toBeLessThanOrEqual(2);
    const box = await t.core.labels.getBox(scanId, segmentationId);
    expect(await t.core.labels.getBox(scanId, segmentationId)).toBe(box);
    expect(await t.core.labels.getVolume(scanId, segmentationId)).toBe(volume);
    expect(load.mock.calls.length).toBe(loadsForTheFirstRead);
    // The file's identity sform is RAS: on the LPS frame grid x and y run the other way.
    expect(box.info).toMatchObject({ offset: [0, 0, 6], size: [9, 7, 6] });

    // Another scan's segmentation id is refused even though its volume is held.
    const { report } = await runImport(t, token, [
      write('other.nii', makeNifti({ dims: [20, 18, 12] })),
    ]);
    await expect(t.core.labels.getBox(report.scanIds[0]!, segmentationId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('follows a new analysis: its mask is a new entry, never the previous one', async () => {
    installBrightSpotModel(join(t.root, 'models'));
    const bright = (i: number, j: number, k: number) => (i < 6 && j < 6 && k === 4 ? 250 : 60);
    const { report } = await runImport(t, token, [
      write('bright.nii', makeNifti({ dims: [16, 16, 8], voxel: bright })),
    ]);
    const scanId = report.scanIds[0]!;
    await expect(t.core.labels.getBox(scanId, 'analysis')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not been analysed/),
    });
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    const first = await t.core.labels.getBox(scanId, 'analysis');
    expect(first.info.size[2]).toBe(1);
    expect(first.info.labels).toEqual([1]);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    const second = await t.core.labels.getBox(scanId, 'analysis');
    expect(second).not.toBe(first);
    expect(second.info).toEqual(first.info);
  });

  it('never serves a held volume once the series has gained a slice', async () => {
    const uids = { studyInstanceUid: fixtureUid(), seriesInstanceUid: fixtureUid() };
    const options = { ...uids, rows: 16, columns: 16 };
    writeDicomSeries(join(t.inputDir, 'three'), 3, options);
    const { report } = await runImport(t, token, [join(t.inputDir, 'three')]);
    const scanId = report.scanIds[0]!;
    const seg = write(
      'labels/all.nii',
      makeNifti({ dims: [16, 16, 3], datatype: 'uint8', voxel: () => 1 }),
    );
    const started = await t.ok('import.files', { paths: [seg], segmentationOf: scanId }, token);
    await t.core.jobs.whenFinished(started.id);
    const segmentationId = (await t.ok('scans.get', { id: scanId }, token)).segmentations[0]!.id;
    expect((await t.core.labels.getBox(scanId, segmentationId)).info.size).toEqual([16, 16, 3]);

    // The same series again with a fourth slice: the scan now has four frames.
    writeDicomSeries(join(t.inputDir, 'four'), 4, options);
    await runImport(t, token, [join(t.inputDir, 'four')]);
    expect((await t.core.frames.getFrameInfo(scanId, 0)).frameCount).toBe(4);
    await expect(t.core.labels.getBox(scanId, segmentationId)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/differs from the scan's \(16×16×4\)/),
    });
  });
});
