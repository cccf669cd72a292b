import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPLICIT_LE,
  fixtureUid,
  makeDicom,
  writeDicomSeries,
} from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { outcomes, runImport, sha256Of, tableCounts } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

const MAX_FILE_BYTES = 64 * 1024;

/** A clinic's CD: one 5-slice series, a PNG, damaged, oversized and duplicate files. */
function writeMixedFolder(dir: string) {
  const studyInstanceUid = fixtureUid();
  const seriesInstanceUid = fixtureUid();
  const slices = writeDicomSeries(join(dir, 'series'), 5, {
    studyInstanceUid,
    seriesInstanceUid,
    patientId: 'NS-0042',
    patientName: 'Test^Patient',
    patientBirthDate: '19700101',
    patientSex: 'F',
    studyDate: '20240115',
    studyDescription: 'MR BRAIN',
    seriesDescription: 'AX FLAIR',
    seriesNumber: 3,
    // The header's thickness differs from the 5 mm between positions: positions must win.
    sliceThickness: 2,
  });
  writeFileSync(join(dir, 'photo.png'), makePng(32, 24));
  const whole = makeDicom({ patientId: 'NS-0099' });
  writeFileSync(join(dir, 'truncated.dcm'), whole.subarray(0, whole.length - 100));
  writeFileSync(
    join(dir, 'notes.dcm'),
    'Referral: headaches for 3 weeks. Image brain.\n'.repeat(5),
  );
  writeFileSync(
    join(dir, 'huge.dcm'),
    makeDicom({ rows: 256, columns: 256, patientId: 'NS-0099' }),
  );
  writeFileSync(join(dir, 'z-copy.dcm'), readFileSync(slices[0]!));
  writeFileSync(
    join(dir, 'z-same-uid.dcm'),
    makeDicom({
      studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid: `${seriesInstanceUid}.3`,
      patientId: 'NS-0042',
      pixel: () => 7,
    }),
  );
  return { slices, studyInstanceUid, seriesInstanceUid };
}

describe('importing a mixed folder', () => {
  let t: TestCore;
  let token: string;
  let folder: ReturnType<typeof writeMixedFolder>;
  beforeEach(async () => {
    t = startTestCore({ maxFileBytes: MAX_FILE_BYTES });
    token = await setupAdmin(t);
    folder = writeMixedFolder(t.inputDir);
  });
  afterEach(() => t.dispose());

  it('imports the good files and reports every other file with its reason', async () => {
    const { job, report } = await runImport(t, token, [t.inputDir]);
    expect(job.status).toBe('completed');
    expect(report).toMatchObject({ total: 11, imported: 6, duplicates: 2, rejected: 3 });
    expect(outcomes(report)).toEqual({
      'huge.dcm': 'rejected FILE_TOO_LARGE',
      'notes.dcm': 'rejected UNSUPPORTED_FORMAT',
      'photo.png': 'imported',
      'slice-0001.dcm': 'imported',
      'slice-0002.dcm': 'imported',
      'slice-0003.dcm': 'imported',
      'slice-0004.dcm': 'imported',
      'slice-0005.dcm': 'imported',
      'truncated.dcm': 'rejected CORRUPT_FILE',
      'z-copy.dcm': 'duplicate DUPLICATE',
      'z-same-uid.dcm': 'duplicate DUPLICATE',
    });
    const reason = (name: string): string | undefined =>
      report.items.find((i) => i.path.endsWith(name))?.reason;
    expect(reason('huge.dcm')).toMatch(/limit is 0\.1 MB/);
    expect(reason('truncated.dcm')).toMatch(/cannot be parsed|incomplete/);
    expect(reason('notes.dcm')).toMatch(/Not a DICOM, NIfTI, STL, PNG or JPEG/);
    expect(reason('z-same-uid.dcm')).toContain(`SOP Instance UID ${folder.seriesInstanceUid}.3`);
    expect(report.scanIds).toHaveLength(2);
    // Both kinds of duplicate point at the scan that already holds the image.
    const seriesScan = report.items.find((i) => i.path.endsWith('slice-0003.dcm'))?.scanId;
    expect(report.items.find((i) => i.path.endsWith('z-same-uid.dcm'))?.scanId).toBe(seriesScan);
    expect(report.items.find((i) => i.path.endsWith('z-copy.dcm'))?.scanId).toBeDefined();
  });

  it('makes the series one scan with 5 slices, its size and spacing from the positions', async () => {
    await runImport(t, token, [t.inputDir]);
    const list = await t.ok('scans.list', { sort: 'modality', order: 'asc' }, token);
    expect(list.total).toBe(2);
    const series = list.items.find((s) => s.kind === 'series');
    expect(series).toMatchObject({
      format: 'dicom',
      modality: 'MR',
      description: 'AX FLAIR',
      slices: 5,
      rows: 16,
      columns: 16,
      spacing: [0.8, 0.9, 5],
      acquiredAt: '2024-01-15',
      patientName: 'Test, Patient',
      patientMrn: 'NS-0042',
      status: 'imported',
    });
    const png = list.items.find((s) => s.kind === 'image');
    expect(png).toMatchObject({
      format: 'png',
      rows: 24,
      columns: 32,
      spacing: null,
      slices: 1,
      patientId: null,
    });
  });

  it('records the DICOM patient, study, series, instances and the stored files', async () => {
    await runImport(t, token, [t.inputDir]);
    const patients = await t.ok('patients.list', {}, token);
    expect(patients.items).toEqual([
      expect.objectContaining({
        name: 'Test, Patient',
        mrn: 'NS-0042',
        birthDate: '1970-01-01',
        sex: 'F',
        studyCount: 1,
        scanCount: 1,
      }),
    ]);
    const scan = (await t.ok('scans.list', { search: 'NS-0042' }, token)).items[0];
    const detail = await t.ok('scans.get', { id: scan?.id ?? '' }, token);
    expect(detail.study).toMatchObject({
      studyInstanceUid: folder.studyInstanceUid,
      studyDate: '2024-01-15',
      description: 'MR BRAIN',
      patientId: patients.items[0]?.id,
    });
    expect(detail.series).toMatchObject({
      seriesInstanceUid: folder.seriesInstanceUid,
      seriesNumber: 3,
      modality: 'MR',
      description: 'AX FLAIR',
      instanceCount: 5,
    });
    expect(
      detail.instances.map((i) => [i.instanceNumber, i.sopInstanceUid, i.transferSyntaxUid]),
    ).toEqual([1, 2, 3, 4, 5].map((n) => [n, `${folder.seriesInstanceUid}.${n}`, EXPLICIT_LE]));
    const expectedHashes = folder.slices.map(sha256Of).sort();
    expect(detail.files.map((f) => f.sha256).sort()).toEqual(expectedHashes);
    for (const file of detail.files) {
      expect(file).toMatchObject({ mimeType: 'application/dicom', instanceId: expect.any(String) });
      expect(sha256Of(t.core.blobs.pathOf(file.sha256))).toBe(file.sha256);
    }
  });

  it('changes nothing already stored because of a rejected or duplicate file', async () => {
    await runImport(t, token, [t.inputDir]);
    const sameUid = sha256Of(join(t.inputDir, 'z-same-uid.dcm'));
    expect(t.core.blobs.has(sameUid)).toBe(false);
    const stored = t.core.db
      .prepare(
        'SELECT f.sha256 FROM instances i JOIN files f ON f.id = i.file_id WHERE i.sop_instance_uid = ?',
      )
      .get(`${folder.seriesInstanceUid}.3`);
    expect(stored).toEqual({ sha256: sha256Of(folder.slices[2]!) });
    const blobDirs = readdirSync(t.core.blobs.root).filter((d) => d !== 'tmp');
    const blobCount = blobDirs.reduce(
      (n, d) => n + readdirSync(join(t.core.blobs.root, d)).length,
      0,
    );
    expect(blobCount).toBe(6);
    expect(readdirSync(join(t.core.blobs.root, 'tmp'))).toEqual([]);
  });

  it('reports everything as duplicates when the same folder is imported again', async () => {
    await runImport(t, token, [t.inputDir]);
    const before = tableCounts(t);
    const { report } = await runImport(t, token, [t.inputDir]);
    expect(report).toMatchObject({
      total: 11,
      imported: 0,
      duplicates: 8,
      rejected: 3,
      scanIds: [],
    });
    expect(tableCounts(t)).toEqual(before);
    expect(before).toEqual({
      patients: 1,
      studies: 1,
      series: 1,
      scans: 2,
      files: 6,
      instances: 5,
    });
  });

  it('imports each file once when two imports of the same folder overlap', async () => {
    const [a, b] = await Promise.all([
      runImport(t, token, [join(t.inputDir, 'series'), join(t.inputDir, 'photo.png')]),
      runImport(t, token, [join(t.inputDir, 'series'), join(t.inputDir, 'photo.png')]),
    ]);
    expect([a.job.status, b.job.status]).toEqual(['completed', 'completed']);
    expect(a.report.imported + b.report.imported).toBe(6);
    expect(a.report.duplicates + b.report.duplicates).toBe(6);
    expect(tableCounts(t)).toMatchObject({ scans: 2, files: 6, instances: 5 });
  });
});
