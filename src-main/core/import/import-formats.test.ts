import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPLICIT_LE, makeDicom } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { outcomes, runImport, sha256Of, tableCounts } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('import decides by content and validates each format', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array): string => {
    const path = join(t.inputDir, name);
    writeFileSync(path, data);
    return path;
  };
  const formatOf = async (scanId: string | undefined) =>
    (await t.ok('scans.get', { id: scanId ?? '' }, token)).scan.format;

  it('detects the type from the content, not the name', async () => {
    write('looks-like-dicom.dcm', makePng(8, 8));
    write('looks-like-png.png', makeDicom({ patientId: 'NS-1' }));
    const { report } = await runImport(t, token, [t.inputDir]);
    expect(report.imported).toBe(2);
    const byName = Object.fromEntries(report.items.map((i) => [i.path.split('/').pop(), i.scanId]));
    expect(await formatOf(byName['looks-like-dicom.dcm'])).toBe('png');
    expect(await formatOf(byName['looks-like-png.png'])).toBe('dicom');
    const detail = await t.ok('scans.get', { id: byName['looks-like-dicom.dcm'] ?? '' }, token);
    expect(detail.files[0]?.mimeType).toBe('image/png');
  });

  it('imports DICOM without the preamble and DICOM in implicit VR', async () => {
    write(
      'raw.dcm',
      makeDicom({ withoutPreamble: true, patientId: 'NS-RAW', patientName: 'Raw^Ray' }),
    );
    write('implicit.dcm', makeDicom({ transferSyntaxUid: IMPLICIT_LE, patientId: 'NS-IMP' }));
    const { report } = await runImport(t, token, [t.inputDir]);
    expect(outcomes(report)).toEqual({ 'implicit.dcm': 'imported', 'raw.dcm': 'imported' });
    const raw = (await t.ok('scans.list', { search: 'NS-RAW' }, token)).items[0];
    expect(raw).toMatchObject({
      format: 'dicom',
      rows: 16,
      columns: 16,
      patientName: 'Raw, Ray',
      spacing: [0.8, 0.9, 5],
    });
    const implicit = (await t.ok('scans.list', { search: 'NS-IMP' }, token)).items[0];
    const detail = await t.ok('scans.get', { id: implicit?.id ?? '' }, token);
    expect(detail.instances[0]?.transferSyntaxUid).toBe(IMPLICIT_LE);
  });

  it('rejects a transfer syntax it cannot decode (video), naming it', async () => {
    const mpeg2 = '1.2.840.10008.1.2.4.100';
    write('video.dcm', makeDicom({ transferSyntaxUid: mpeg2 }));
    const { report } = await runImport(t, token, [t.inputDir]);
    expect(report.items[0]).toMatchObject({ status: 'rejected', code: 'UNSUPPORTED_FORMAT' });
    expect(report.items[0]?.reason).toContain(`(${mpeg2}) is not supported`);
  });

  it('rejects a truncated PNG and a PNG with a damaged image chunk as corrupt', async () => {
    const png = makePng(16, 16);
    write('truncated.png', png.subarray(0, png.length - 20));
    const flipped = Buffer.from(png);
    const idat = flipped.indexOf('IDAT');
    flipped[idat + 8] = (flipped[idat + 8] ?? 0) ^ 0xff;
    write('flipped.png', flipped);
    const { report } = await runImport(t, token, [t.inputDir]);
    expect(outcomes(report)).toEqual({
      'flipped.png': 'rejected CORRUPT_FILE',
      'truncated.png': 'rejected CORRUPT_FILE',
    });
    expect(report.items.map((i) => i.reason).join(' ')).toMatch(/checksum/);
    expect(tableCounts(t)).toMatchObject({ scans: 0, files: 0 });
  });

  it('rejects an empty file and leaves the stored copy of a good file untouched', async () => {
    const good = write('good.png', makePng(8, 8));
    await runImport(t, token, [good]);
    const before = tableCounts(t);
    const empty = write('empty.dcm', new Uint8Array(0));
    const { report } = await runImport(t, token, [empty, join(t.inputDir, 'missing.dcm')]);
    expect(outcomes(report)).toEqual({
      'empty.dcm': 'rejected CORRUPT_FILE',
      'missing.dcm': 'rejected NOT_FOUND',
    });
    expect(tableCounts(t)).toEqual(before);
    expect(sha256Of(t.core.blobs.pathOf(sha256Of(good)))).toBe(sha256Of(good));
  });

  it('attaches images to a chosen patient and refuses an unknown patient before starting', async () => {
    const patient = await t.ok('patients.create', { name: 'Doe, Jane', mrn: 'MRN-7' }, token);
    write('photo.png', makePng(8, 8));
    const { report } = await runImport(t, token, [t.inputDir], patient.id);
    const scan = await t.ok('scans.get', { id: report.scanIds[0] ?? '' }, token);
    expect(scan.scan).toMatchObject({ patientId: patient.id, patientName: 'Doe, Jane' });
    const error = await t.fail(
      'import.files',
      { paths: [t.inputDir], patientId: '00000000-0000-4000-8000-00000000dead' },
      token,
    );
    expect(error.code).toBe('NOT_FOUND');
    expect((await t.ok('jobs.list', {}, token)).total).toBe(1);
  });
});
