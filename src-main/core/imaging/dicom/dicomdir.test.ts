import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPLICIT_LE, fixtureUid, makeDicom } from '../../../test-support/dicom-fixtures.js';
import { outcomes, runImport, tableCounts } from '../../../test-support/import-helpers.js';
import { hasTool } from '../../../test-support/shared-data.js';
import { makeTempDir, removeTempDir } from '../../../test-support/temp-dir.js';
import { setupAdmin, startTestCore, type TestCore } from '../../../test-support/test-core.js';
import { dicomDirFiles, isDicomDir, MEDIA_STORAGE_DIRECTORY } from './dicomdir.js';
import { parseDicom } from './parse-dicom.js';

const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

/** dcmjs's dictionary gives the record offsets the old VR "up"; the standard now says UL. */
const OFFSETS_AS_UL = {
  OffsetOfTheNextDirectoryRecord: 'UL',
  OffsetOfReferencedLowerLevelDirectoryEntity: 'UL',
  OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity: 'UL',
  OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity: 'UL',
};

/**
 * A DICOMDIR as a CD burner writes it: one PATIENT, STUDY and SERIES record, then one IMAGE
 * record per Referenced File ID (path components, written backslash-separated). The record
 * offsets are left 0: the reader follows the sequence, not the offsets.
 */
function makeDicomDir(fileIds: readonly (readonly string[])[]): Buffer {
  const record = (type: string, fields: Record<string, unknown>): Record<string, unknown> => ({
    OffsetOfTheNextDirectoryRecord: 0,
    RecordInUseFlag: 0xffff,
    OffsetOfReferencedLowerLevelDirectoryEntity: 0,
    DirectoryRecordType: type,
    ...fields,
    _vrMap: OFFSETS_AS_UL,
  });
  const records = [
    record('PATIENT', { PatientID: 'NS-CD', PatientName: 'Disc^Patient' }),
    record('STUDY', {
      StudyInstanceUID: fixtureUid(),
      StudyDate: '20240115',
      StudyTime: '101500',
      StudyDescription: 'MR BRAIN',
      AccessionNumber: '',
      StudyID: '1',
    }),
    record('SERIES', { Modality: 'MR', SeriesInstanceUID: fixtureUid(), SeriesNumber: '1' }),
    ...fileIds.map((id, i) =>
      record('IMAGE', {
        ReferencedFileID: [...id],
        ReferencedSOPClassUIDInFile: MR_IMAGE_STORAGE,
        ReferencedSOPInstanceUIDInFile: fixtureUid(),
        ReferencedTransferSyntaxUIDInFile: EXPLICIT_LE,
        InstanceNumber: String(i + 1),
      }),
    ),
  ];
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: MEDIA_STORAGE_DIRECTORY,
    MediaStorageSOPInstanceUID: fixtureUid(),
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
  };
  const dataset = {
    FileSetID: 'NEUROCD',
    OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity: 0,
    OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity: 0,
    FileSetConsistencyFlag: 0,
    DirectoryRecordSequence: records,
    _vrMap: OFFSETS_AS_UL,
  };
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}

function write(path: string, data: Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** Slice `i` (from 1) of one series: distinct pixels, so every file has its own sha256. */
function slice(series: { study: string; series: string }, i: number): Buffer {
  return makeDicom({
    patientId: 'NS-CD',
    studyInstanceUid: series.study,
    seriesInstanceUid: series.series,
    sopInstanceUid: `${series.series}.${i}`,
    instanceNumber: i,
    imagePosition: [0, 0, i * 5],
    pixel: (r, c) => (r * 7 + c * 3 + i * 11) % 4096,
  });
}

function listed(dicomDir: string): string[] {
  const parsed = parseDicom(new Uint8Array(readFileSync(dicomDir)));
  expect(isDicomDir(parsed.dataSet)).toBe(true);
  return dicomDirFiles(parsed.dataSet, dicomDir);
}

describe('dicomDirFiles: the files a CD index lists', () => {
  let temp = '';
  let cd = '';
  beforeEach(() => {
    temp = makeTempDir();
    cd = join(temp, 'cd');
    mkdirSync(cd);
  });
  afterEach(() => removeTempDir(temp));

  it('lists every referenced file, joined from its components under the DICOMDIR folder', () => {
    const ids = [
      ['IMAGES', 'IM0001'],
      ['IMAGES', 'IM0002'],
      ['PAT00001', 'STU00001', 'SER00002', 'IM000001'],
      ['README'],
    ];
    for (const id of ids) write(join(cd, ...id), Buffer.from('x'));
    write(join(cd, 'DICOMDIR'), makeDicomDir(ids));
    expect(listed(join(cd, 'DICOMDIR'))).toEqual(ids.map((id) => join(cd, ...id)));
  });

  it('finds files whose names on disk differ in case or carry ISO 9660 decorations', () => {
    // How one disc looks once mounted: Linux lower-cases, some systems keep ";1" or a bare ".".
    write(join(cd, 'images', 'im0001'), Buffer.from('x'));
    write(join(cd, 'images', 'IM0002;1'), Buffer.from('x'));
    write(join(cd, 'images', 'Im0003.'), Buffer.from('x'));
    // Where both spellings exist (a case-sensitive copy), the exact one is taken.
    write(join(cd, 'images', 'IM0004'), Buffer.from('x'));
    write(join(cd, 'images', 'im0004'), Buffer.from('x'));
    write(
      join(cd, 'DICOMDIR'),
      makeDicomDir([
        ['IMAGES', 'IM0001'],
        ['IMAGES', 'IM0002'],
        ['IMAGES', 'IM0003'],
        ['IMAGES', 'IM0004'],
      ]),
    );
    expect(listed(join(cd, 'DICOMDIR'))).toEqual([
      join(cd, 'images', 'im0001'),
      join(cd, 'images', 'IM0002;1'),
      join(cd, 'images', 'Im0003.'),
      join(cd, 'images', 'IM0004'),
    ]);
  });

  it('leaves out references that climb out of the folder, are absolute or name a drive', () => {
    write(join(temp, 'SECRET'), Buffer.from('outside the disc'));
    write(join(cd, 'IMAGES', 'IM0001'), Buffer.from('x'));
    write(
      join(cd, 'DICOMDIR'),
      makeDicomDir([
        ['..', 'SECRET'],
        ['IMAGES', '..', '..', 'SECRET'],
        ['.', 'IMAGES', 'IM0001'],
        ['', 'ETC', 'PASSWD'], // "\ETC\PASSWD": rooted, not relative to the disc
        ['/etc/passwd'],
        ['C:', 'WINDOWS', 'WIN.INI'],
        ['IMAGES', 'IM0001'],
      ]),
    );
    expect(listed(join(cd, 'DICOMDIR'))).toEqual([join(cd, 'IMAGES', 'IM0001')]);
  });

  it('keeps a referenced file that is not on disk, in the DICOMDIR spelling, for the import to report', () => {
    write(join(cd, 'images', 'im0001'), Buffer.from('x'));
    write(
      join(cd, 'DICOMDIR'),
      makeDicomDir([
        ['IMAGES', 'IM0001'],
        ['IMAGES', 'IM0009'],
        ['GONE', 'IM0001'],
      ]),
    );
    expect(listed(join(cd, 'DICOMDIR'))).toEqual([
      join(cd, 'images', 'im0001'),
      join(cd, 'images', 'IM0009'),
      join(cd, 'GONE', 'IM0001'),
    ]);
  });

  it('lists nothing for a DICOMDIR without records', () => {
    write(join(cd, 'DICOMDIR'), makeDicomDir([]));
    expect(listed(join(cd, 'DICOMDIR'))).toEqual([]);
  });

  it.runIf(hasTool('dcmmkdir'))('reads the DICOMDIR that dcmtk writes for a disc', () => {
    const series = { study: fixtureUid(), series: fixtureUid() };
    const names = ['IM0001', 'IM0002', 'IM0003'];
    for (const [i, name] of names.entries()) write(join(cd, 'IMAGES', name), slice(series, i + 1));
    execFileSync('dcmmkdir', ['-q', '+r', '+I', 'IMAGES'], { cwd: cd });
    expect(listed(join(cd, 'DICOMDIR'))).toEqual(names.map((name) => join(cd, 'IMAGES', name)));
  });
});

describe('importing a CD by its DICOMDIR', () => {
  let t: TestCore;
  let token: string;
  let cd: string;
  const series = { study: '', series: '' };
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    cd = join(t.inputDir, 'cd');
    series.study = fixtureUid();
    series.series = fixtureUid();
  });
  afterEach(() => t.dispose());

  /** The disc as Linux mounts it: the DICOMDIR says IMAGES\IM0001, the folder shows images/im0001. */
  function writeDisc(count: number, extraIds: string[][] = []): void {
    const ids: string[][] = [];
    for (let i = 1; i <= count; i++) {
      const name = `IM${String(i).padStart(4, '0')}`;
      write(join(cd, 'images', name.toLowerCase()), slice(series, i));
      ids.push(['IMAGES', name]);
    }
    write(join(cd, 'DICOMDIR'), makeDicomDir([...ids, ...extraIds]));
  }

  it('imports each image once from the folder, however the DICOMDIR spells its names', async () => {
    writeDisc(3);
    const { job, report } = await runImport(t, token, [cd]);
    expect(job.status).toBe('completed');
    expect(outcomes(report)).toEqual({
      DICOMDIR: 'rejected UNSUPPORTED_FORMAT',
      im0001: 'imported',
      im0002: 'imported',
      im0003: 'imported',
    });
    expect(report).toMatchObject({ total: 4, imported: 3, duplicates: 0, rejected: 1 });
    expect(report.items.filter((item) => item.status === 'imported').map((i) => i.path)).toEqual(
      ['im0001', 'im0002', 'im0003'].map((name) => join(cd, 'images', name)),
    );
    expect(tableCounts(t)).toMatchObject({ series: 1, scans: 1, files: 3, instances: 3 });
    const scan = (await t.ok('scans.get', { id: report.scanIds[0]! }, token)).scan;
    expect(scan.slices).toBe(3);
  });

  it('imports the files a DICOMDIR lists when only the DICOMDIR is chosen', async () => {
    writeDisc(2);
    const { report } = await runImport(t, token, [join(cd, 'DICOMDIR')]);
    expect(outcomes(report)).toEqual({
      DICOMDIR: 'rejected UNSUPPORTED_FORMAT',
      im0001: 'imported',
      im0002: 'imported',
    });
    expect(report.items[0]!.reason).toContain('the 2 files it lists are imported');
    expect(tableCounts(t)).toMatchObject({ files: 2, instances: 2 });
  });

  it('reports a listed file missing from the disc by its path and imports the rest', async () => {
    writeDisc(2, [['IMAGES', 'IM0003']]);
    const { job, report } = await runImport(t, token, [cd]);
    expect(job.status).toBe('completed');
    expect(outcomes(report)).toEqual({
      DICOMDIR: 'rejected UNSUPPORTED_FORMAT',
      im0001: 'imported',
      im0002: 'imported',
      IM0003: 'rejected NOT_FOUND',
    });
    expect(report.items.find((item) => item.code === 'NOT_FOUND')).toMatchObject({
      path: join(cd, 'images', 'IM0003'),
      reason: expect.stringContaining(
        'The DICOMDIR lists this file, but it is not on the disc',
      ) as unknown,
    });
    expect(tableCounts(t)).toMatchObject({ files: 2, instances: 2 });
  });
});
