import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../test-support/dicom-validation.js';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { BASIC_OPTIONS } from './annex-e.js';
import { createDeidMapping } from './deid-mapping.js';
import { createDeidMappingRepo } from './deid-mapping-repo.js';
import { AppError } from '../../../src-shared/errors.js';
import { deidentifyPart10, readDicomFile } from './deidentify-file.js';

// De-identification of real files from public collections: a Siemens brain slice in every
// transfer syntax the sample has (private CSA headers included) and a 3-slice TCIA T1+Gd series.
const SAMPLES = join(SHARED_DATA, 'dicom-samples');
const present = hasSharedData('dicom-samples', 'DICOM_INDEX.csv');

/** Source and output side by side, read with pydicom. */
const COMPARE_PY = String.raw`
import json, sys
import pydicom
from pydicom.encaps import generate_pixel_data_frame
def frames(d):
    if not d.file_meta.TransferSyntaxUID.is_compressed:
        return [bytes(d.PixelData)]
    # Compressed: the frames' codestreams, however the writer cut them into fragments.
    return list(generate_pixel_data_frame(d.PixelData, int(d.get('NumberOfFrames', 1))))
a = pydicom.dcmread(sys.argv[1])
b = pydicom.dcmread(sys.argv[2])
print(json.dumps({
  'sourceId': str(a.get('PatientID', '')), 'sourceName': str(a.get('PatientName', '')),
  'name': str(b.PatientName), 'id': b.PatientID, 'removed': b.PatientIdentityRemoved,
  'study': b.StudyInstanceUID, 'series': b.SeriesInstanceUID, 'sourceStudy': a.StudyInstanceUID,
  'samePixels': frames(a) == frames(b),
  'transferSyntax': str(b.file_meta.TransferSyntaxUID) == str(a.file_meta.TransferSyntaxUID),
  'private': sorted('%04X%04X' % (e.tag.group, e.tag.element) for e in b if e.tag.is_private),
  'sourcePrivate': sum(1 for e in a if e.tag.is_private),
}))
`;

interface Compared {
  sourceId: string;
  sourceName: string;
  name: string;
  id: string;
  removed: string;
  study: string;
  series: string;
  sourceStudy: string;
  samePixels: boolean;
  transferSyntax: boolean;
  private: string[];
  sourcePrivate: number;
}

describe.skipIf(!present)('de-identification of real DICOM files', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    requireDicomValidators();
    dir = makeTempDir();
    db = openDatabase(join(dir, 'deid.db'));
    migrate(db);
  });
  afterAll(() => {
    db.close();
    removeTempDir(dir);
  });

  function deidentify(path: string): { out: string; compared: Compared } {
    const mapping = createDeidMapping(createDeidMappingRepo(db, () => new Date().toISOString()));
    const result = deidentifyPart10(readFileSync(path), path, mapping, {
      ...BASIC_OPTIONS,
      allowBurnedIn: false,
      appPatientId: null,
    });
    mapping.flush();
    const out = join(dir, `${path.replace(/[^A-Za-z0-9]/g, '_')}.dcm`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(out, result.bytes);
    return { out, compared: runPython<Compared>(COMPARE_PY, [path, out]) };
  }

  /** No dciodvfy error the source did not have already. */
  function expectNoNewErrors(source: string, out: string): void {
    const before = validatorFindings(source).errors;
    const after = validatorFindings(out);
    expect(
      after.errors.filter((e) => !before.includes(e)),
      after.output,
    ).toEqual([]);
  }

  it('keeps the pixels and the transfer syntax of a Siemens slice in every syntax, drops its private headers', () => {
    const folder = join(SAMPLES, 'dcm_qa_ts-siemens-brain-slice');
    const files = readdirSync(folder).filter((f) => f.endsWith('.dcm'));
    expect(files.length).toBeGreaterThan(3);
    const studies = new Set<string>();
    for (const file of files) {
      const source = join(folder, file);
      const { out, compared } = deidentify(source);
      expect(compared.samePixels, file).toBe(true);
      expect(compared.transferSyntax, file).toBe(true);
      expect(compared.removed).toBe('YES');
      expect(compared.id).toMatch(/^ANON-[0-9A-F]{10}$/);
      expect(compared.sourcePrivate).toBeGreaterThan(0);
      // Only the safe list's Siemens MR header entries (and their creator) may stay.
      expect(
        compared.private.every((t) => t.startsWith('0019')),
        compared.private.join(),
      ).toBe(true);
      expect(compared.study).not.toBe(compared.sourceStudy);
      const bytes = readFileSync(out).toString('latin1');
      if (compared.sourceId.length > 3) expect(bytes).not.toContain(compared.sourceId);
      expect(bytes).not.toContain(compared.sourceStudy);
      expectNoNewErrors(source, out);
      studies.add(compared.study);
    }
    // The same slice in several syntaxes is one study: one de-identified study UID.
    expect(studies.size).toBe(1);
  });

  it('maps a real 3-slice series to one study and series, stably', () => {
    const folder = join(SAMPLES, 'series-vs-seg-t1gd-brain-3slices');
    const files = readdirSync(folder)
      .filter((f) => f.endsWith('.dcm'))
      .sort();
    const results = files.map((f) => deidentify(join(folder, f)).compared);
    expect(results.length).toBeGreaterThanOrEqual(3);
    const images = results.filter((r) => r.series === results[0]!.series);
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect(new Set(results.map((r) => r.study)).size).toBe(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(deidentify(join(folder, files[0]!)).compared.series).toBe(results[0]!.series);
  });

  it('de-identifies every sample file or refuses it with a clear error, never crashing', () => {
    const all: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (!/\.(csv|md|json|nii|txt)$/i.test(name)) all.push(path);
      }
    };
    walk(SAMPLES);
    expect(all.length).toBeGreaterThan(50);
    let written = 0;
    const refused: string[] = [];
    for (const path of all) {
      const mapping = createDeidMapping(createDeidMappingRepo(db, () => new Date().toISOString()));
      try {
        const out = deidentifyPart10(readFileSync(path), path, mapping, {
          ...BASIC_OPTIONS,
          allowBurnedIn: true,
          appPatientId: null,
        });
        // What was written reads back, with the pseudonym.
        const back = readDicomFile(out.bytes, path).dataset;
        expect(back['00120062']?.Value).toEqual(['YES']);
        written++;
      } catch (error) {
        expect(error, path).toBeInstanceOf(AppError);
        refused.push(`${path}: ${(error as Error).message.slice(0, 160)}`);
      }
    }
    console.info(
      `[data suite] de-identified ${written} sample files, refused ${refused.length}:\n${refused.join('\n')}`,
    );
    expect(written).toBeGreaterThan(refused.length);
  }, 300_000);
});
