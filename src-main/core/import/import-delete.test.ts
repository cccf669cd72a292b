import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureUid, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { runImport, sha256Of, tableCounts } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('deleting imported data', () => {
  let t: TestCore;
  let token: string;
  let slices: string[];
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    slices = writeDicomSeries(join(t.inputDir, 'series'), 3, {
      patientId: 'NS-0007',
      seriesInstanceUid: fixtureUid(),
    });
    writeFileSync(join(t.inputDir, 'photo.png'), makePng(8, 8));
  });
  afterEach(() => t.dispose());

  it("removes a patient's rows and stored files, leaving other data", async () => {
    await runImport(t, token, [t.inputDir]);
    const patient = (await t.ok('patients.list', { search: 'NS-0007' }, token)).items[0];
    const hashes = slices.map(sha256Of);
    for (const sha of hashes) expect(t.core.blobs.has(sha)).toBe(true);

    const result = await t.ok('patients.delete', { id: patient?.id ?? '' }, token);
    expect(result).toEqual({ deleted: true, scans: 1, files: 3 });
    for (const sha of hashes) expect(existsSync(t.core.blobs.pathOf(sha))).toBe(false);
    expect(tableCounts(t)).toEqual({
      patients: 0,
      studies: 0,
      series: 0,
      scans: 1,
      files: 1,
      instances: 0,
    });
    expect(t.core.blobs.has(sha256Of(join(t.inputDir, 'photo.png')))).toBe(true);
    expect((await t.fail('patients.get', { id: patient?.id ?? '' }, token)).code).toBe('NOT_FOUND');
    expect(t.core.audit.list(1)[0]).toMatchObject({
      action: 'patients.delete',
      target: patient?.id,
    });
  });

  it('removes a scan with its series and instances so the same files can be imported again', async () => {
    const first = await runImport(t, token, [join(t.inputDir, 'series')]);
    const scanId = first.report.scanIds[0] ?? '';
    expect(await t.ok('scans.delete', { id: scanId }, token)).toEqual({ deleted: true });
    expect(tableCounts(t)).toMatchObject({ series: 0, scans: 0, files: 0, instances: 0 });
    for (const path of slices) expect(t.core.blobs.has(sha256Of(path))).toBe(false);
    expect((await t.fail('scans.get', { id: scanId }, token)).code).toBe('NOT_FOUND');

    const again = await runImport(t, token, [join(t.inputDir, 'series')]);
    expect(again.report).toMatchObject({ imported: 3, duplicates: 0, rejected: 0 });
    const scan = await t.ok('scans.get', { id: again.report.scanIds[0] ?? '' }, token);
    expect(scan.scan.slices).toBe(3);
    // The study and patient were kept and are reused, not duplicated.
    expect(tableCounts(t)).toMatchObject({ patients: 1, studies: 1, series: 1, instances: 3 });
  });
});
