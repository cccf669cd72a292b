import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { fixtureUid, makeDicom } from '../../test-support/dicom-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import {
  canonicalToFrameOrder,
  frameGridPlan,
  presentLabels,
  toLabelBytes,
} from './label-volumes.js';

// Coronal: rows run to the patient's feet, frames (the slice normal) posterior.
const CORONAL = [1, 0, 0, 0, 0, -1] as const;

describe('laying label maps onto the frame grid', () => {
  const coronal = frameGridPlan({
    format: 'dicom',
    direction: [
      [1, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ],
  });

  it('re-orders a canonical (L, P, S) label map into a coronal series’ frames', () => {
    // Frame grid 3 columns × 2 rows × 4 frames is 3 (L) × 4 (P) × 2 (S) in patient axes.
    const canonical = Uint8Array.from({ length: 24 }, (_, v) => v + 1);
    const frames = canonicalToFrameOrder(canonical, [3, 4, 2], [3, 2, 4], coronal);
    for (let f = 0; f < 4; f++)
      for (let r = 0; r < 2; r++)
        for (let c = 0; c < 3; c++) {
          // Row 0 is the most superior: canonical z = 1 - r.
          expect(frames[c + 3 * (r + 2 * f)]).toBe(canonical[c + 3 * (f + 4 * (1 - r))]);
        }
  });

  it('leaves NIfTI scans and pictures in their own order, and refuses another grid', () => {
    const same = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(frameGridPlan({ format: 'nifti', direction: null })).toEqual({
      sourceAxis: [0, 1, 2],
      flip: [false, false, false],
    });
    expect(
      canonicalToFrameOrder(
        same,
        [3, 2, 1],
        [3, 2, 1],
        frameGridPlan({ format: 'png', direction: null }),
      ),
    ).toEqual(same);
    expect(() => canonicalToFrameOrder(same, [3, 2, 1], [2, 3, 1], coronal)).toThrow(
      /label map's grid \(3×2×1 voxels\) differs from the scan's \(2×1×3\)/,
    );
  });

  it('keeps whole labels 0..255 and refuses anything else', () => {
    expect([...toLabelBytes(Int16Array.from([0, 2, 255]))]).toEqual([0, 2, 255]);
    for (const bad of [Int16Array.from([300]), Int16Array.from([-1]), Float32Array.from([1.5])]) {
      expect(() => toLabelBytes(bad)).toThrow(AppError);
      expect(() => toLabelBytes(bad)).toThrow(/whole labels from 0 to 255/);
    }
    expect(presentLabels(Uint8Array.from([0, 4, 1, 4, 0, 2]))).toEqual([1, 2, 4]);
  });
});

describe('core.labels.getVolume with a real core', () => {
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

  async function importOne(path: string): Promise<string> {
    const { report } = await runImport(t, token, [path]);
    return report.scanIds[0]!;
  }

  async function importSegmentation(path: string, scanId: string): Promise<string> {
    const started = await t.ok('import.files', { paths: [path], segmentationOf: scanId }, token);
    await t.core.jobs.whenFinished(started.id);
    const detail = await t.ok('scans.get', { id: scanId }, token);
    return detail.segmentations.at(-1)!.id;
  }

  /** All frames' stored values, frame after frame: the order the label volume must have. */
  async function frameValues(scanId: string): Promise<number[]> {
    const first = await t.core.frames.getFrame(scanId, 0);
    const values: number[] = [];
    for (let k = 0; k < first.info.frameCount; k++) {
      const frame = await t.core.frames.getFrame(scanId, k);
      const typed =
        first.info.dtype === 'int16' ? new Int16Array(frame.data) : new Uint8Array(frame.data);
      values.push(...typed);
    }
    return values;
  }

  // Stored with an identity RAS sform, which the canonical (LPS) frames flip in x and y: a mask
  // served in the file's own voxel order would land on the opposite corner.
  const isBlock = (i: number, j: number, k: number): boolean => i < 8 && j < 8 && k === 1;
  const scanVoxel = (i: number, j: number, k: number): number =>
    isBlock(i, j, k) ? 250 : k === 2 && i === 0 ? 100 : 60;

  it('serves the analysis mask in frame order, the same voxels as the stored outputs', async () => {
    installBrightSpotModel(join(t.root, 'models'));
    const scanId = await importOne(
      write('t2.nii', makeNifti({ dims: [16, 16, 3], voxel: scanVoxel })),
    );
    await expect(t.core.labels.getVolume(scanId, 'analysis')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not been analysed/),
    });

    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    const volume = await t.core.labels.getVolume(scanId, 'analysis');
    expect(volume.info).toEqual({
      scanId,
      source: 'analysis',
      columns: 16,
      rows: 16,
      frames: 3,
      labels: [1],
    });
    const { mask } = await t.core.analysis.outputs(scanId);
    expect(volume.data).toEqual(mask);
    // Every labelled voxel is a bright voxel of the frame with the same index.
    const values = await frameValues(scanId);
    const labelled = [...volume.data.keys()].filter((v) => volume.data[v] === 1);
    expect(labelled.length).toBeGreaterThan(40);
    expect(labelled.every((v) => values[v] === 250)).toBe(true);
  });

  it('serves an imported NIfTI label map on the scan’s frames, whatever its voxel order', async () => {
    const scanId = await importOne(
      write('t1.nii', makeNifti({ dims: [16, 16, 3], voxel: scanVoxel })),
    );
    // The same grid stored with x reversed (RAS x = 15 - i): the canonical reading undoes it.
    const labelOf = (i: number, j: number, k: number): number => {
      const value = scanVoxel(i, j, k);
      return value === 250 ? 2 : value === 100 ? 4 : 0;
    };
    const segPath = write(
      'labels/seg.nii.gz',
      makeNifti({
        dims: [16, 16, 3],
        datatype: 'uint8',
        gzip: true,
        sform: [
          [-1, 0, 0, 15],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
        ],
        voxel: (i, j, k) => labelOf(15 - i, j, k),
      }),
    );
    const segmentationId = await importSegmentation(segPath, scanId);

    const volume = await t.core.labels.getVolume(scanId, segmentationId);
    expect(volume.info).toMatchObject({
      source: segmentationId,
      columns: 16,
      rows: 16,
      frames: 3,
      labels: [2, 4],
    });
    const values = await frameValues(scanId);
    const expected = values.map((v) => (v === 250 ? 2 : v === 100 ? 4 : 0));
    expect([...volume.data]).toEqual(expected);
  });

  it('lays a label map onto a coronal DICOM series frame by frame', async () => {
    const seriesInstanceUid = fixtureUid();
    const studyInstanceUid = fixtureUid();
    for (let i = 0; i < 4; i++) {
      write(
        `coronal/im${i}.dcm`,
        makeDicom({
          studyInstanceUid,
          seriesInstanceUid,
          sopInstanceUid: `${seriesInstanceUid}.${i + 1}`,
          instanceNumber: i + 1,
          rows: 4,
          columns: 4,
          pixelSpacing: [1, 1],
          imageOrientation: [...CORONAL],
          // Instances written anterior to posterior in reverse: frames follow the positions.
          imagePosition: [0, 2 * (3 - i), 0],
        }),
      );
    }
    const scanId = await importOne(join(t.inputDir, 'coronal'));
    const scan = (await t.ok('scans.get', { id: scanId }, token)).scan;
    expect(scan).toMatchObject({
      dims: [4, 4, 4],
      direction: [
        [1, 0, 0],
        [0, 0, -1],
        [0, 1, 0],
      ],
    });
    // Canonical label map: x → left, y → posterior (2 mm), z → superior; value names the voxel.
    const canonicalValue = (x: number, y: number, z: number): number => 1 + x + 4 * y + 16 * z;
    const segPath = write(
      'labels/coronal-seg.nii',
      makeNifti({
        dims: [4, 4, 4],
        datatype: 'uint8',
        sform: [
          [-1, 0, 0, 0],
          [0, -2, 0, 0],
          [0, 0, 1, -3],
        ],
        voxel: canonicalValue,
      }),
    );
    const segmentationId = await importSegmentation(segPath, scanId);
    const volume = await t.core.labels.getVolume(scanId, segmentationId);
    expect(volume.info).toMatchObject({ columns: 4, rows: 4, frames: 4 });
    for (let f = 0; f < 4; f++)
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) {
          // Frame f lies 2f mm posterior; row r is r mm below the top (most superior) row.
          expect(volume.data[c + 4 * (r + 4 * f)]).toBe(canonicalValue(c, f, 3 - r));
        }
  });

  it('answers clear errors: unknown source, no such segmentation, another grid', async () => {
    const scanId = await importOne(
      write('t1.nii', makeNifti({ dims: [16, 16, 3], voxel: scanVoxel })),
    );
    const otherId = await importOne(write('other.nii', makeNifti({ dims: [4, 4, 2] })));
    const otherSeg = await importSegmentation(
      write('labels/other-seg.nii', makeNifti({ dims: [4, 4, 2], voxel: (i) => (i > 1 ? 1 : 0) })),
      otherId,
    );
    await expect(t.core.labels.getVolume(scanId, 'mask')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(t.core.labels.getVolume(scanId, otherSeg)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no such segmentation/),
    });
    await expect(t.core.labels.getVolume(otherId, otherSeg)).resolves.toMatchObject({
      info: { labels: [1], columns: 4, rows: 4, frames: 2 },
    });

    // The import refuses another grid; a row stored by other means must still not be drawn.
    const blob = await t.core.blobs.putBuffer(makeNifti({ dims: [5, 16, 3], voxel: () => 1 }));
    const now = new Date().toISOString();
    t.core.db
      .prepare(
        `INSERT INTO files (id, sha256, size, mime_type, original_path, scan_id, import_job_id, created_at)
         VALUES (?, ?, ?, 'application/x-nifti', 'wrong.nii', ?, NULL, ?)`,
      )
      .run('00000000-0000-4000-8000-00000000f11e', blob.sha256, blob.size, scanId, now);
    const wrongId = '00000000-0000-4000-8000-0000000005e9';
    t.core.db
      .prepare(
        `INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at)
         VALUES (?, ?, '00000000-0000-4000-8000-00000000f11e', '[1]', 'wrong.nii', ?)`,
      )
      .run(wrongId, scanId, now);
    await expect(t.core.labels.getVolume(scanId, wrongId)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/grid \(5×16×3 voxels\) differs from the scan's \(16×16×3\)/),
    });
  });
});
