import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureUid, makeDicom, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { outcomes, runImport, sha256Of, tableCounts } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeBinaryStl, TETRAHEDRON } from '../../test-support/volume-fixtures.js';

describe('import batches', () => {
  let t: TestCore;
  beforeEach(() => {
    t = startTestCore();
  });
  afterEach(() => t.dispose());

  const blobRoot = (): string => join(t.root, 'data', 'blobs');
  const blobsOnDisk = (): string[] =>
    readdirSync(blobRoot())
      .filter((name) => name !== 'tmp')
      .flatMap((prefix) => readdirSync(join(blobRoot(), prefix)));
  /** Every files row has its blob, holding the bytes of its sha256; no blob is left without a row. */
  function expectStoreConsistent(): void {
    const rows = t.core.db.prepare('SELECT sha256 FROM files').all() as Array<{ sha256: string }>;
    for (const { sha256 } of rows) {
      const path = t.core.blobs.pathOf(sha256);
      expect(existsSync(path)).toBe(true);
      expect(sha256Of(path)).toBe(sha256);
    }
    expect(blobsOnDisk().sort()).toEqual(rows.map((r) => r.sha256).sort());
    expect(readdirSync(join(blobRoot(), 'tmp'))).toEqual([]);
  }

  async function stage(paths: string[], options: { attachTo?: string } = {}) {
    const batch = t.core.importer.openBatch(options);
    for (const path of paths) await batch.add(await t.core.importer.prepareFile(path, options));
    return batch;
  }

  it('writes no row and no blob under its hash before the commit, then all of them', async () => {
    const slices = writeDicomSeries(join(t.inputDir, 'series'), 3);
    const png = join(t.inputDir, 'photo.png');
    writeFileSync(png, makePng(8, 6));
    const batch = await stage([...slices, png]);
    expect(batch.fileCount).toBe(4);
    expect(tableCounts(t)).toMatchObject({ files: 0, instances: 0, scans: 0 });
    expect(blobsOnDisk()).toEqual([]);

    const results = await batch.commit();
    expect(results.map((r) => [r.item.path, r.item.status])).toEqual(
      [...slices, png].map((path) => [path, 'imported']),
    );
    expect(tableCounts(t)).toMatchObject({ files: 4, instances: 3, scans: 2 });
    expectStoreConsistent();
  });

  it('recognises duplicates within one batch, by content and by SOP Instance UID', async () => {
    const seriesInstanceUid = fixtureUid();
    const [first] = writeDicomSeries(join(t.inputDir, 'series'), 1, { seriesInstanceUid });
    const copy = join(t.inputDir, 'copy.dcm');
    writeFileSync(copy, readFileSync(first!));
    const sameUid = join(t.inputDir, 'same-uid.dcm');
    writeFileSync(
      sameUid,
      makeDicom({ seriesInstanceUid, sopInstanceUid: `${seriesInstanceUid}.1`, pixel: () => 3 }),
    );
    const results = await (await stage([first!, copy, sameUid])).commit();
    expect(results.map((r) => r.item.status)).toEqual(['imported', 'duplicate', 'duplicate']);
    expect(results[2]?.item.reason).toContain(`SOP Instance UID ${seriesInstanceUid}.1`);
    expect(tableCounts(t)).toMatchObject({ files: 1, instances: 1 });
    // The same-UID file's blob was written with the batch, then removed: no row refers to it.
    expectStoreConsistent();
  });

  it('rejects a file whose rows cannot be recorded and keeps the rest of its batch', async () => {
    const [one, two] = writeDicomSeries(join(t.inputDir, 'series'), 2);
    const mesh = join(t.inputDir, 'jaw.stl');
    writeFileSync(mesh, makeBinaryStl(TETRAHEDRON));
    // The scan to attach the mesh to does not exist: found only when its rows are written.
    const results = await (await stage([one!, mesh, two!], { attachTo: randomUUID() })).commit();
    expect(results.map((r) => `${r.item.status} ${r.item.code ?? ''}`.trim())).toEqual([
      'imported',
      'rejected NOT_FOUND',
      'imported',
    ]);
    expect(tableCounts(t)).toMatchObject({ files: 2, instances: 2 });
    expectStoreConsistent();
  });

  it('an aborted batch leaves no temp file, row or blob', async () => {
    const batch = await stage(writeDicomSeries(join(t.inputDir, 'series'), 3));
    await batch.abort();
    expect(tableCounts(t)).toMatchObject({ files: 0, instances: 0 });
    expectStoreConsistent();
  });

  it('imports a folder of several batches with duplicates and damage inside and across them', async () => {
    const token = await setupAdmin(t);
    const dir = join(t.inputDir, 'cd');
    const seriesInstanceUid = fixtureUid();
    const slices = writeDicomSeries(dir, 140, { seriesInstanceUid });
    const slice = (n: number): string => slices[n - 1]!;
    // Sorted next to slice 65 (same batch) and after slice 130 (two batches after slice 3).
    writeFileSync(join(dir, 'slice-0065b.dcm'), readFileSync(slice(65)));
    writeFileSync(join(dir, 'slice-0130b.dcm'), readFileSync(slice(3)));
    writeFileSync(
      join(dir, 'slice-0010c.dcm'),
      makeDicom({ seriesInstanceUid, sopInstanceUid: `${seriesInstanceUid}.10`, pixel: () => 1 }),
    );
    const whole = readFileSync(slice(100));
    writeFileSync(join(dir, 'slice-0100b.dcm'), whole.subarray(0, whole.length - 100));

    const { job, report } = await runImport(t, token, [dir]);
    expect(job.status).toBe('completed');
    expect(report).toMatchObject({ total: 144, imported: 140, duplicates: 3, rejected: 1 });
    expect(report.items.map((i) => i.path)).toEqual(readdirSync(dir).map((n) => join(dir, n)));
    const byName = outcomes(report);
    expect(byName).toMatchObject({
      'slice-0065b.dcm': 'duplicate DUPLICATE',
      'slice-0130b.dcm': 'duplicate DUPLICATE',
      'slice-0010c.dcm': 'duplicate DUPLICATE',
      'slice-0100b.dcm': 'rejected CORRUPT_FILE',
    });
    expect(tableCounts(t)).toMatchObject({ scans: 1, files: 140, instances: 140 });
    const detail = await t.ok('scans.get', { id: report.scanIds[0]! }, token);
    expect(detail.instances).toHaveLength(140);
    expectStoreConsistent();
  });
});
