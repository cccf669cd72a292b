import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { outcomes, runImport } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import {
  makeAsciiStl,
  makeBinaryStl,
  makeNifti,
  TETRAHEDRON,
} from '../../test-support/volume-fixtures.js';

describe('imaging import: volumes, frames, NIfTI, segmentations, meshes', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array | string): string => {
    const path = join(t.inputDir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    return path;
  };

  it('assembles a series into a volume sorted along the normal and serves its frames in that order', async () => {
    // Instance numbers ascend while positions descend: the volume must follow the positions.
    writeDicomSeries(join(t.inputDir, 'series'), 4, { patientId: 'NS-VOL', spacingZ: -5 });
    const { report } = await runImport(t, token, [t.inputDir]);
    const scan = (await t.ok('scans.get', { id: report.scanIds[0]! }, token)).scan;
    expect(scan).toMatchObject({
      slices: 4,
      dims: [16, 16, 4],
      spacing: [0.8, 0.9, 5],
      origin: [0, 0, -15],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      warnings: [],
    });
    const first = await t.core.frames.getFrame(scan.id, 0);
    expect(first.info).toMatchObject({
      frameCount: 4,
      rows: 16,
      columns: 16,
      samplesPerPixel: 1,
      dtype: 'uint16',
      photometric: 'MONOCHROME2',
      pixelSpacing: [0.8, 0.9],
      rescaleSlope: 1,
      rescaleIntercept: 0,
    });
    // Slice i of the fixture holds (r*7 + c*3 + i*11) % 4096; frame 0 is the last instance (i = 3).
    const pixels = new Uint16Array(first.data);
    expect(pixels[0]).toBe(33);
    expect(pixels[1 * 16 + 2]).toBe(7 + 6 + 33);
    const info = await t.ok('images.frameInfo', { scanId: scan.id, index: 3 }, token);
    expect(info).toMatchObject({ index: 3, minValue: 0, maxValue: 15 * 7 + 15 * 3 });
    const missing = await t.fail('images.frameInfo', { scanId: scan.id, index: 4 }, token);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.message).toMatch(/has 4 frames; frame 4 does not exist/);
  });

  it('reports a missing slice as a gap on the scan', async () => {
    const paths = writeDicomSeries(join(t.inputDir, 'series'), 6, { patientId: 'NS-GAP' });
    rmSync(paths[3]!);
    const { report } = await runImport(t, token, [t.inputDir]);
    const scan = (await t.ok('scans.get', { id: report.scanIds[0]! }, token)).scan;
    expect(scan.dims).toEqual([16, 16, 5]);
    expect(scan.warnings).toEqual([
      expect.stringMatching(
        /^Gap: 10 mm between slices 3 and 4 where 5 mm is usual \(about 1 slice missing\)/,
      ),
    ]);
  });

  it('serves PNG images as decoded frames', async () => {
    write(
      'xray.png',
      makePng(8, 6, (x, y) => x * 10 + y),
    );
    const { report } = await runImport(t, token, [t.inputDir]);
    const frame = await t.core.frames.getFrame(report.scanIds[0]!, 0);
    expect(frame.info).toMatchObject({
      rows: 6,
      columns: 8,
      dtype: 'uint8',
      minValue: 0,
      maxValue: 75,
    });
    expect(new Uint8Array(frame.data)[2 * 8 + 3]).toBe(32);
  });

  it('imports NIfTI as a volume in patient orientation, and a label map as its segmentation', async () => {
    // Stored with x running right-to-left (RAS sform with -1): the canonical frame flips it back.
    const sform: [number[], number[], number[]] = [
      [-2, 0, 0, 30],
      [0, 2, 0, -40],
      [0, 0, 3, 10],
    ];
    write('t1.nii.gz', makeNifti({ dims: [4, 3, 2], sform, gzip: true }));
    const { report } = await runImport(t, token, [join(t.inputDir, 't1.nii.gz')]);
    const scanId = report.scanIds[0]!;
    const scan = (await t.ok('scans.get', { id: scanId }, token)).scan;
    expect(scan).toMatchObject({
      kind: 'volume',
      format: 'nifti',
      dims: [4, 3, 2],
      spacing: [2, 2, 3],
    });
    const frame = await t.core.frames.getFrame(scanId, 1);
    expect(frame.info).toMatchObject({ frameCount: 2, dtype: 'int16', rows: 3, columns: 4 });
    // RAS x = 30 - 2i; LPS x = 2i - 30 grows with i, so no flip along x; y flips (RAS +y = anterior).
    expect(Array.from(new Int16Array(frame.data).subarray(0, 4))).toEqual([120, 121, 122, 123]);

    write(
      'labels/seg.nii',
      makeNifti({ dims: [4, 3, 2], sform, voxel: (i) => (i === 0 ? 0 : i === 1 ? 1 : 4) }),
    );
    write('labels/wrong-size.nii', makeNifti({ dims: [5, 3, 2], sform, voxel: () => 1 }));
    const started = await t.ok(
      'import.files',
      { paths: [join(t.inputDir, 'labels')], segmentationOf: scanId },
      token,
    );
    const job = await t.core.jobs.whenFinished(started.id);
    const labelled = await t.ok('import.report', { id: job.id }, token);
    expect(outcomes(labelled)).toEqual({
      'seg.nii': 'imported',
      'wrong-size.nii': 'rejected INVALID_INPUT',
    });
    expect(labelled.items.find((i) => i.path.endsWith('wrong-size.nii'))?.reason).toMatch(
      /label map is 5x3x2 voxels but the scan is 4x3x2/,
    );
    const detail = await t.ok('scans.get', { id: scanId }, token);
    expect(detail.segmentations).toEqual([
      expect.objectContaining({ labels: [1, 4], source: 'seg.nii', scanId }),
    ]);
  });

  it('attaches the STL meshes of an intra-oral scan pair to the scan imported with them', async () => {
    write('case/cbct.nii', makeNifti({ dims: [4, 4, 4] }));
    write('case/upper.stl', makeBinaryStl(TETRAHEDRON));
    write('case/lower.stl', makeAsciiStl('lower jaw', TETRAHEDRON.slice(0, 2)));
    const { report } = await runImport(t, token, [join(t.inputDir, 'case')]);
    expect(outcomes(report)).toEqual({
      'cbct.nii': 'imported',
      'lower.stl': 'imported',
      'upper.stl': 'imported',
    });
    const detail = await t.ok('scans.get', { id: report.scanIds[0]! }, token);
    expect(detail.attachments.map((a) => [a.description, a.triangleCount, a.boundingBox])).toEqual(
      [
        [
          'lower jaw',
          2,
          [
            [0, 0, 0],
            [10, 20, 30],
          ],
        ],
        [
          'upper.stl',
          4,
          [
            [0, 0, 0],
            [10, 20, 30],
          ],
        ],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    write('alone/mesh.stl', makeBinaryStl(TETRAHEDRON.slice(0, 1)));
    const alone = await runImport(t, token, [join(t.inputDir, 'alone')]);
    expect(outcomes(alone.report)).toEqual({ 'mesh.stl': 'rejected INVALID_INPUT' });
    expect(alone.report.items[0]?.reason).toMatch(/import it together with exactly one scan/);
  });
});
