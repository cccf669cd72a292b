import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng } from '../../test-support/image-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeBinaryStl } from '../../test-support/volume-fixtures.js';
import { appRoot } from '../platform/version.js';

/** Every blob in the store, by hash (the temp folder is not a blob). */
function listBlobs(t: TestCore): Set<string> {
  const root = t.core.blobs.root;
  const hashes = new Set<string>();
  for (const dir of readdirSync(root)) {
    if (dir === 'tmp') continue;
    for (const name of readdirSync(join(root, dir))) hashes.add(name);
  }
  return hashes;
}

function analysisBlobs(t: TestCore, scanId: string): string[] {
  return t.core.db
    .prepare<[string], { mask_sha256: string; heatmap_sha256: string; overlay_sha256: string }>(
      'SELECT mask_sha256, heatmap_sha256, overlay_sha256 FROM analyses WHERE scan_id = ?',
    )
    .all(scanId)
    .flatMap((r) => [r.mask_sha256, r.heatmap_sha256, r.overlay_sha256]);
}

const difference = (a: Set<string>, b: Set<string>): string[] =>
  [...a].filter((x) => !b.has(x)).sort();

// The defect: deleting a patient or a scan left the analysis's mask, heatmap and overlay (an
// image of the patient) in the blob store. The analyses here run for real: the bright-spot
// segmentation and the shipped tumour-type classifier, which makes the heatmap and overlay.
describe('deleting a patient or a scan removes every blob derived from their data', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    const models = join(t.root, 'models');
    installBrightSpotModel(models);
    cpSync(join(appRoot(), 'models', 'brain-tumour-4class'), join(models, 'brain-tumour-4class'), {
      recursive: true,
    });
  });
  afterEach(() => t.dispose());

  function writeSlice(name: string, spot: number): string {
    const path = join(t.inputDir, name);
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => {
        if ((x - 32) ** 2 + (y - 32) ** 2 > 30 ** 2) return 0;
        return x >= spot && x < spot + 12 && y >= 14 && y < 26 ? 250 : 60;
      }),
    );
    return path;
  }

  async function importFor(patientId: string, paths: string[]): Promise<string> {
    const { report } = await runImport(t, token, paths, patientId);
    expect(report.imported).toBe(paths.length);
    return report.scanIds[0] ?? '';
  }

  async function analyse(scanId: string): Promise<void> {
    const job = await t.ok(
      'analysis.start',
      { scanId, segmentationModel: 'bright-spot', classificationModel: 'brain-tumour-4class' },
      token,
    );
    const done = await t.core.jobs.whenFinished(job.id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
  }

  it("leaves no blob of a deleted patient's, and keeps a blob another patient's file shares", async () => {
    const ada = await t.ok('patients.create', { name: 'Ada' }, token);
    const bob = await t.ok('patients.create', { name: 'Bob' }, token);
    const adaScan = await importFor(ada.id, [writeSlice('ada.png', 14)]);
    await analyse(adaScan);
    const [mask, heatmap, overlay] = analysisBlobs(t, adaScan);
    expect(heatmap).toBeDefined();
    expect(overlay).toBeDefined();
    // A mesh attached to Ada's scan is hers too.
    const stl = join(t.inputDir, 'ada.stl');
    writeFileSync(
      stl,
      makeBinaryStl([
        [
          [0, 0, 0],
          [1, 0, 0],
          [0, 1, 0],
        ],
      ]),
    );
    await t
      .ok('import.files', { paths: [stl], attachTo: adaScan }, token)
      .then((job) => t.core.jobs.whenFinished(job.id));
    // Bob's file is a copy of Ada's overlay (exported and imported as his picture): shared bytes.
    const overlayCopy = join(t.inputDir, 'bob-overlay.png');
    cpSync(t.core.blobs.pathOf(overlay ?? ''), overlayCopy);
    const bobScan = await importFor(bob.id, [overlayCopy, writeSlice('bob.png', 30)]);
    await analyse(bobScan);

    const adaBlobs = new Set(
      [
        ...t.core.db
          .prepare<[string], { sha256: string }>('SELECT sha256 FROM files WHERE scan_id = ?')
          .all(adaScan)
          .map((r) => r.sha256),
        ...analysisBlobs(t, adaScan),
      ].filter((h): h is string => typeof h === 'string'),
    );
    expect(adaBlobs.size).toBe(5); // picture, mesh, mask, heatmap, overlay
    const before = listBlobs(t);
    for (const hash of adaBlobs) expect(before.has(hash)).toBe(true);

    expect(await t.ok('patients.delete', { id: ada.id }, token)).toMatchObject({ deleted: true });
    const after = listBlobs(t);
    // Gone: every blob of Ada's but the overlay, which Bob's picture still is.
    expect(difference(before, after)).toEqual([...adaBlobs].filter((h) => h !== overlay).sort());
    expect(after.has(overlay ?? '')).toBe(true);
    expect(t.core.blobs.has(mask ?? '')).toBe(false);
    // Bob's data is whole: his pictures and his analysis's outputs.
    for (const hash of analysisBlobs(t, bobScan)) expect(after.has(hash)).toBe(true);
    expect((await t.ok('scans.get', { id: bobScan }, token)).scan.patientId).toBe(bob.id);
  });

  it("deleting an analysed scan removes its picture and its analysis's mask, heatmap and overlay", async () => {
    const ada = await t.ok('patients.create', { name: 'Ada' }, token);
    const scanId = await importFor(ada.id, [writeSlice('ada.png', 14)]);
    await analyse(scanId);
    const derived = analysisBlobs(t, scanId);
    const before = listBlobs(t);
    await t.ok('scans.delete', { id: scanId }, token);
    const gone = difference(before, listBlobs(t));
    for (const hash of derived) expect(gone).toContain(hash);
    expect(listBlobs(t).size).toBe(0);
  });
});
