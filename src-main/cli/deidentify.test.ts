import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDicom, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { requireDicomValidators, runPython } from '../test-support/dicom-validation.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

let root: string;
let dataDir: string;
let scanId: string;

const STUDY = '1.2.826.0.1.3680043.8.498.88.1';

beforeAll(async () => {
  requireDicomValidators();
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-deidentify-'));
  dataDir = join(root, 'data');
  writeDicomSeries(join(root, 'series'), 3, {
    patientName: 'Lovelace^Ada',
    patientId: 'MRN-1815',
    studyInstanceUid: STUDY,
    studyDate: '20240115',
    extraAttributes: { PatientAge: '036Y', InstitutionName: 'Analytical Engine Clinic' },
  });
  const imported = await runCliProcess(
    ['import', join(root, 'series'), '--json', '--data-dir', dataDir],
    {},
  );
  expect(imported.code, imported.stderr).toBe(0);
  scanId = (JSON.parse(imported.stdout) as { report: { scanIds: string[] } }).report.scanIds[0]!;
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const deidentify = (...args: string[]) =>
  runCliProcess(['deidentify', ...args, '--data-dir', dataDir], {});

const READ_PY = String.raw`
import json, sys, os, pydicom
d = pydicom.dcmread(sys.argv[1])
print(json.dumps({'name': str(d.PatientName), 'id': d.PatientID, 'age': d.get('PatientAge', None),
  'study': d.StudyInstanceUID, 'date': d.StudyDate, 'codes': [c.CodeValue for c in d.DeidentificationMethodCodeSequence]}))
`;

describe('neurosphere deidentify', () => {
  it('writes the series de-identified with the options asked for', async () => {
    const out = join(root, 'out');
    const run = await deidentify(
      scanId,
      '--out',
      out,
      '--retain-dates',
      '--retain-patient-characteristics',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { kind: string; pseudonymIds: string[] };
    expect(answer.kind).toBe('scan');
    expect(readdirSync(out).sort()).toEqual([
      'S001-IM0001.dcm',
      'S001-IM0002.dcm',
      'S001-IM0003.dcm',
    ]);
    const read = runPython<{
      name: string;
      id: string;
      age: string;
      study: string;
      date: string;
      codes: string[];
    }>(READ_PY, [join(out, 'S001-IM0001.dcm')]);
    expect(read.id).toBe(answer.pseudonymIds[0]);
    expect(read.age).toBe('036Y');
    expect(read.date).toBe('20240115');
    expect(read.study).not.toBe(STUDY);
    expect(read.codes).toEqual(['113100', '113108', '113106']);
    const bytes = readFileSync(join(out, 'S001-IM0002.dcm')).toString('latin1');
    for (const phi of ['Lovelace', 'MRN-1815', 'Analytical Engine', STUDY])
      expect(bytes).not.toContain(phi);
  }, 60_000);

  it('de-identifies a folder before import, so the store never holds the name', async () => {
    const cd = join(root, 'cd');
    mkdirSync(join(cd, 'IMAGES'), { recursive: true });
    writeFileSync(
      join(cd, 'IMAGES', 'IM1'),
      makeDicom({ patientName: 'Curie^Marie', patientId: 'MRN-1867' }),
    );
    writeFileSync(
      join(cd, 'IMAGES', 'IM2'),
      makeDicom({
        patientName: 'Curie^Marie',
        patientId: 'MRN-1867',
        extraAttributes: { BurnedInAnnotation: 'YES' },
      }),
    );
    writeFileSync(join(cd, 'DICOMDIR'), makeDicom({ patientName: 'Curie^Marie' }));
    writeFileSync(join(cd, 'README.TXT'), 'Curie^Marie');
    const out = join(root, 'cd-clean');
    const run = await deidentify('--folder', cd, '--out', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { written: string[]; skipped: string[] };
    expect(answer.written).toEqual([join(out, 'IMAGES', 'IM1')]);
    expect(answer.skipped).toHaveLength(3);
    expect(answer.skipped.join('\n')).toMatch(/IM2: .*Burned In Annotation is YES/);
    const imported = await runCliProcess(['import', out, '--json', '--data-dir', dataDir], {});
    expect(imported.code, imported.stderr).toBe(0);
    const patients = await runCliProcess(['patients', 'list', '--json', '--data-dir', dataDir], {});
    expect(patients.stdout).toContain('ANONYMOUS');
    expect(patients.stdout).not.toContain('Curie');
    expect(patients.stdout).not.toContain('MRN-1867');
  }, 60_000);

  it('says what is wrong with a bad id, a missing --out, conflicting options and an unknown id', async () => {
    const bad = await deidentify('nope', '--out', join(root, 'x'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('deidentify takes a scan or study id');
    const noOut = await deidentify(scanId);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('needs --out DIR');
    const both = await deidentify(
      scanId,
      '--out',
      join(root, 'x'),
      '--retain-dates',
      '--shift-dates',
    );
    expect(both.code).toBe(2);
    const unknown = await deidentify(
      '00000000-0000-4000-8000-000000000000',
      '--out',
      join(root, 'x'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No scan or study');
  }, 60_000);
});
