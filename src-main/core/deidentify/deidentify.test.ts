import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import {
  everyAnnexEAttribute,
  fillableRows,
  mrSliceWithPhi,
  PRIVATE_ATTRIBUTES,
} from '../../test-support/deid-fixtures.js';
import {
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../test-support/dicom-validation.js';
import { makeDicom } from '../../test-support/dicom-fixtures.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { ANNEX_E_ROWS, BASIC_OPTIONS, type DeidentifyOptions } from './annex-e.js';
import { shiftDate, type DicomDataset } from './deidentify-dataset.js';
import { deidentifyPart10, readDicomFile } from './deidentify-file.js';
import { createDeidMapping } from './deid-mapping.js';
import { createDeidMappingRepo } from './deid-mapping-repo.js';

const STUDY = '1.2.826.0.1.3680043.8.498.55.10';
const SERIES = '1.2.826.0.1.3680043.8.498.55.11';

function openMappingDb(dir: string): Db {
  const db = openDatabase(join(dir, 'deid.db'));
  migrate(db);
  return db;
}

function run(
  db: Db,
  bytes: Buffer,
  options: Partial<DeidentifyOptions> & { allowBurnedIn?: boolean } = {},
) {
  const mapping = createDeidMapping(createDeidMappingRepo(db, () => '2024-03-01T08:00:00.000Z'));
  const out = deidentifyPart10(bytes, 'test.dcm', mapping, {
    ...BASIC_OPTIONS,
    allowBurnedIn: false,
    appPatientId: null,
    ...options,
  });
  mapping.flush();
  return out;
}

/** Values as text, binary values as hex, so any two can be compared. */
function comparable(values: unknown[] | undefined): string {
  return JSON.stringify(values ?? [], (_key, value: unknown) =>
    value instanceof ArrayBuffer ? Buffer.from(value).toString('hex') : value,
  );
}

/** Zero length: dcmjs reads an empty value back as [''] (or no value). */
function isEmpty(element: { Value?: unknown[] }): boolean {
  const values = element.Value ?? [];
  return values.length === 0 || (values.length === 1 && values[0] === '');
}

function datasetOf(bytes: Buffer): DicomDataset {
  return readDicomFile(bytes, 'out.dcm').dataset;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const READ_BACK_PY = String.raw`
import json, sys
import pydicom
d = pydicom.dcmread(sys.argv[1])
print(json.dumps({'name': str(d.PatientName), 'id': d.PatientID, 'removed': d.PatientIdentityRemoved,
  'method': list(d.DeidentificationMethod) if d['DeidentificationMethod'].VM > 1 else [d.DeidentificationMethod],
  'codes': [c.CodeValue for c in d.DeidentificationMethodCodeSequence],
  'study': d.StudyInstanceUID, 'pixels': int(d.pixel_array.sum())}))
`;

describe('de-identification (PS3.15 Annex E basic profile)', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => requireDicomValidators());
  beforeEach(() => {
    dir = makeTempDir();
    db = openMappingDb(dir);
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  it('keeps the whole table as data: every row parsed, with a known action', () => {
    expect(ANNEX_E_ROWS.length).toBeGreaterThan(400);
    for (const row of ANNEX_E_ROWS) {
      expect(row.tag, row.name).toMatch(/^([0-9A-F]{8}|50xxxxxx|60xx[34]000|GGGGEEEE)$/);
      for (const code of row.basic) expect(['D', 'Z', 'X', 'K', 'C', 'U', 'U*']).toContain(code);
    }
  });

  it('leaves no Annex E attribute with its original value, nested sequences and private tags included', () => {
    const source = everyAnnexEAttribute({ studyInstanceUid: STUDY, seriesInstanceUid: SERIES });
    const before = datasetOf(source);
    const after = datasetOf(run(db, source).bytes);
    const rows = fillableRows();
    expect(rows.length).toBeGreaterThan(300);
    const kept: string[] = [];
    for (const { row } of rows) {
      const original = before[row.tag];
      if (original === undefined) continue;
      const now = after[row.tag];
      const unchanged =
        now !== undefined && !isEmpty(now) && comparable(now.Value) === comparable(original.Value);
      if (unchanged) kept.push(`${row.tag} ${row.name}`);
    }
    expect(kept).toEqual([]);
    // Every value the fixture wrote is gone from the file's bytes (nested items too).
    const text = run(db, source).bytes.toString('latin1');
    for (const phi of ['Doe^Jane', 'Nested^Secret', 'REQ-4711', 'Jane Doe', 'PRIVATE PHI', 'PHI 0'])
      expect(text, phi).not.toContain(phi);
  });

  it('writes a valid image that pydicom reads, with the pseudonym and the method codes', () => {
    const source = mrSliceWithPhi({ studyInstanceUid: STUDY, seriesInstanceUid: SERIES });
    const sourcePath = join(dir, 'source.dcm');
    writeFileSync(sourcePath, source);
    const out = run(db, source);
    const path = join(dir, 'out.dcm');
    writeFileSync(path, out.bytes);
    // The fixture is a minimal MR image (dciodvfy misses MR attributes it never had): the
    // de-identified file may have no error the source did not have, and no new warning but the
    // empty Type 2 study attributes the profile asks for.
    const sourceFindings = validatorFindings(sourcePath);
    const findings = validatorFindings(path, [
      /Missing attribute or value that would be needed to build DICOMDIR/,
      ...sourceFindings.unexplainedWarnings.map((w) => new RegExp(`^${escapeRegExp(w)}$`)),
    ]);
    expect(
      findings.errors.filter((e) => !sourceFindings.errors.includes(e)),
      findings.output,
    ).toEqual([]);
    expect(findings.unexplainedWarnings, findings.output).toEqual([]);
    const read = runPython<{
      name: string;
      id: string;
      removed: string;
      method: string[];
      codes: string[];
      study: string;
      pixels: number;
    }>(READ_BACK_PY, [path]);
    expect(read.name).toMatch(/^ANONYMOUS\^[0-9A-F]{10}$/);
    expect(read.id).toMatch(/^ANON-[0-9A-F]{10}$/);
    expect(read.removed).toBe('YES');
    expect(read.codes).toEqual(['113100', '113111']);
    expect(read.method[0]).toBe('Basic Application Confidentiality Profile');
    expect(read.study).not.toBe(STUDY);
    expect(read.study).toMatch(/^2\.25\.\d+$/);
    const original = runPython<{ pixels: number }>(
      READ_BACK_PY.replace(/'name'.*'study': d.StudyInstanceUID, /s, ''),
      [sourcePath],
    );
    expect(read.pixels).toBe(original.pixels);
    const bytes = readFileSync(path).toString('latin1');
    for (const phi of [
      'Müller',
      'M\u00c3\u00bcller', // the name's UTF-8 bytes read as Latin-1
      'NS-0042',
      '19610203',
      'ACC-42',
      'Who^Doctor',
      'Saint Elsewhere',
      'MR-ROOM-3',
      'Tech^Tina',
      '12 Elm',
      'OLD-99',
      'SN-123456',
      'Nested^Secret',
      'REQ-4711',
    ])
      expect(bytes, phi).not.toContain(phi);
  });

  it('removes private tags but the safe list, and keeps the creator of what it keeps', () => {
    const out = datasetOf(run(db, mrSliceWithPhi({ studyInstanceUid: STUDY })).bytes);
    const privateTags = Object.keys(out).filter((t) => parseInt(t.slice(0, 4), 16) % 2 === 1);
    expect(privateTags.sort()).toEqual(['00190010', '0019100C']);
    expect(out['0019100C']!.Value!.map(String)).toEqual(PRIVATE_ATTRIBUTES['0019100C']!.Value);
  });

  it('maps UIDs consistently across the files of a study, references in sequences included, and stably between runs', () => {
    const first = mrSliceWithPhi({
      studyInstanceUid: STUDY,
      seriesInstanceUid: SERIES,
      sopInstanceUid: `${SERIES}.1`,
    });
    const second = mrSliceWithPhi({
      studyInstanceUid: STUDY,
      seriesInstanceUid: SERIES,
      sopInstanceUid: `${SERIES}.2`,
      referencedSop: `${SERIES}.1`,
    });
    const a = run(db, first);
    const b = run(db, second);
    expect(a.studyInstanceUid).toBe(b.studyInstanceUid);
    expect(a.seriesInstanceUid).toBe(b.seriesInstanceUid);
    expect(a.sopInstanceUid).not.toBe(b.sopInstanceUid);
    const bSet = datasetOf(b.bytes);
    const referenced = (bSet['00081140']!.Value![0] as DicomDataset)['00081155']!.Value![0];
    expect(referenced).toBe(a.sopInstanceUid);
    // Referenced Study Sequence is X/Z (Type 3 in the image IODs): removed.
    expect(bSet['00081110']).toBeUndefined();
    expect(datasetOf(a.bytes)['00200052']!.Value![0]).not.toBe('1.2.826.0.1.3680043.8.498.55.1');
    // The meta header names the new SOP instance.
    const meta = readDicomFile(a.bytes, 'a').meta;
    expect(meta['00020003']!.Value![0]).toBe(a.sopInstanceUid);
    // A second run (a new mapping object on the same tables) gives the same UIDs and pseudonym.
    const again = run(db, first);
    expect(again.sopInstanceUid).toBe(a.sopInstanceUid);
    expect(again.bytes.equals(a.bytes)).toBe(true);
    const stored = db.prepare('SELECT COUNT(*) AS n FROM deid_uids').get() as { n: number };
    expect(stored.n).toBeGreaterThanOrEqual(4);
    expect(db.prepare('SELECT COUNT(*) AS n FROM deid_pseudonyms').get()).toEqual({ n: 1 });
    // Another data dir (another secret) maps differently.
    const otherDir = makeTempDir();
    const other = openMappingDb(otherDir);
    try {
      expect(run(other, first).studyInstanceUid).not.toBe(a.studyInstanceUid);
    } finally {
      other.close();
      removeTempDir(otherDir);
    }
  });

  it('retains what each option says and nothing more', () => {
    const source = mrSliceWithPhi({ studyInstanceUid: STUDY, seriesInstanceUid: SERIES });
    const basic = datasetOf(run(db, source).bytes);
    expect(isEmpty(basic['00080020']!)).toBe(true); // Study Date Z
    expect(basic['00080021']!.Value).toEqual(['19000101']); // Series Date X/D → D
    expect(basic['00101010']).toBeUndefined(); // Patient's Age X
    expect(basic['00280303']!.Value).toEqual(['REMOVED']);

    const full = datasetOf(run(db, source, { dates: 'full' }).bytes);
    expect(full['00080020']!.Value).toEqual(['20240115']);
    expect(full['00080033']!.Value).toEqual(['102233']);
    expect(isEmpty(full['00100030']!)).toBe(true); // birth date is not longitudinal
    expect(full['00280303']!.Value).toEqual(['UNMODIFIED']);

    const shifted = datasetOf(run(db, source, { dates: 'offset' }).bytes);
    const studyDate = shifted['00080020']!.Value![0] as string;
    expect(studyDate).not.toBe('20240115');
    expect(shifted['00080021']!.Value![0]).toBe(studyDate); // same offset for every date
    expect(shifted['00080030']!.Value).toEqual(['101500']); // whole days: times unchanged
    expect(shifted['00280303']!.Value).toEqual(['MODIFIED']);
    const codes = (shifted['00120064']!.Value as DicomDataset[]).map(
      (c) => c['00080100']!.Value![0],
    );
    expect(codes).toContain('113107');

    const characteristics = datasetOf(
      run(db, source, { retainPatientCharacteristics: true }).bytes,
    );
    expect(characteristics['00101010']!.Value).toEqual(['063Y']);
    expect(characteristics['00101030']!.Value).toEqual([71.5]);
    expect(characteristics['00100040']!.Value).toEqual(['F']);
    expect(characteristics['00101040']).toBeUndefined(); // address is not a characteristic

    const uids = run(db, source, { retainUids: true });
    expect(uids.studyInstanceUid).toBe(STUDY);
    expect(uids.seriesInstanceUid).toBe(SERIES);
    const withUids = datasetOf(uids.bytes);
    expect(JSON.stringify(withUids)).not.toContain('Nested^Secret');
    expect(
      (withUids['00120064']!.Value as DicomDataset[]).map((c) => c['00080100']!.Value![0]),
    ).toContain('113110');
  });

  it('shifts dates by whole days across month and year ends', () => {
    expect(shiftDate('20240301', -1)).toBe('20240229');
    expect(shiftDate('20240101120000', -1)).toBe('20231231120000');
    expect(shiftDate('', -5)).toBe('');
  });

  it('refuses images whose pixels may hold identifying text unless confirmed', () => {
    const burned = makeDicom({ extraAttributes: { BurnedInAnnotation: 'YES' } });
    expect(() => run(db, burned)).toThrow(AppError);
    expect(() => run(db, burned)).toThrow(
      /identifying text in its pixels \(Burned In Annotation is YES\)/,
    );
    expect(run(db, burned, { allowBurnedIn: true }).burnedIn).toBe('Burned In Annotation is YES');
    const capture = datasetOf(makeDicom());
    capture['00080016'] = { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] };
    const dict = new dcmjs.data.DicomDict(readDicomFile(makeDicom(), 'x').meta);
    dict.dict = capture;
    expect(() => run(db, Buffer.from(dict.write()))).toThrow(/secondary capture/);
    expect(
      run(db, makeDicom({ extraAttributes: { BurnedInAnnotation: 'NO' } })).burnedIn,
    ).toBeNull();
  });

  it('says clearly when a file is not DICOM', () => {
    expect(() => run(db, Buffer.from('not a dicom file at all'))).toThrow(
      /cannot be read as a DICOM file/,
    );
  });
});
