import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeidentifyDescription } from '../../../src-shared/contract/deidentify.js';
import { mrSliceWithPhi } from '../../test-support/deid-fixtures.js';
import { headWithSpot, makeDicom } from '../../test-support/dicom-fixtures.js';
import {
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../test-support/dicom-validation.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  addUser,
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

const STUDY = '1.2.826.0.1.3680043.8.498.66.1';
const FLAIR = '1.2.826.0.1.3680043.8.498.66.2';
const T1 = '1.2.826.0.1.3680043.8.498.66.3';

/** Facts of every exported file, read with pydicom (an independent reader). */
const FACTS_PY = String.raw`
import json, sys, os
import pydicom
out = {}
for root, _, names in os.walk(sys.argv[1]):
    for name in sorted(names):
        path = os.path.join(root, name)
        d = pydicom.dcmread(path)
        refs = []
        for r in d.get('ReferencedSeriesSequence', []):
            refs += [i.ReferencedSOPInstanceUID for i in r.ReferencedInstanceSequence]
        out[os.path.relpath(path, sys.argv[1])] = {
            'sopClass': d.SOPClassUID, 'sop': d.SOPInstanceUID, 'study': d.StudyInstanceUID,
            'series': d.SeriesInstanceUID, 'name': str(d.PatientName), 'id': d.PatientID,
            'removed': d.PatientIdentityRemoved, 'studyDate': d.get('StudyDate', None),
            'refs': refs}
print(json.dumps(out))
`;

interface Facts {
  sopClass: string;
  sop: string;
  study: string;
  series: string;
  name: string;
  id: string;
  removed: string;
  studyDate: string | null;
  refs: string[];
}

describe('de-identified export of a study (stream deidentify.export)', () => {
  let t: TestCore;
  let admin: string;
  beforeAll(() => requireDicomValidators());
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  /** A FLAIR series of 6 slices with a lesion, and a 2-slice T1 series, in one study, with PHI. */
  async function importStudy(): Promise<{ flairScan: string; studyId: string }> {
    const flairDir = join(t.inputDir, 'flair');
    const t1Dir = join(t.inputDir, 't1');
    mkdirSync(flairDir);
    mkdirSync(t1Dir);
    for (let i = 0; i < 6; i++)
      writeFileSync(
        join(flairDir, `IM${i + 1}.dcm`),
        mrSliceWithPhi({
          rows: 64,
          columns: 64,
          studyInstanceUid: STUDY,
          seriesInstanceUid: FLAIR,
          sopInstanceUid: `${FLAIR}.${i + 1}`,
          instanceNumber: i + 1,
          seriesNumber: 2,
          seriesDescription: 'AX FLAIR',
          imagePosition: [-28.8, -28.8, 10 + i * 5],
          pixelSpacing: [0.9, 0.9],
          pixel: (r, c) =>
            i >= 2 && i <= 4 ? headWithSpot(r, c) : Math.min(700, headWithSpot(r, c)),
          extraAttributes: { BodyPartExamined: 'BRAIN' },
        }),
      );
    for (let i = 0; i < 2; i++)
      writeFileSync(
        join(t1Dir, `IM${i + 1}.dcm`),
        mrSliceWithPhi({
          studyInstanceUid: STUDY,
          seriesInstanceUid: T1,
          sopInstanceUid: `${T1}.${i + 1}`,
          instanceNumber: i + 1,
          seriesNumber: 3,
          seriesDescription: 'AX T1',
          imagePosition: [0, 0, i * 5],
          referencedSop: `${FLAIR}.1`,
        }),
      );
    const flairScan = await importScan(t, admin, [flairDir]);
    await importScan(t, admin, [t1Dir]);
    const scan = await t.ok('scans.get', { id: flairScan as never }, admin);
    const studyId = (scan as unknown as { study: { id: string } }).study.id;
    return { flairScan, studyId };
  }

  async function exportZip(params: Record<string, unknown>, token = admin) {
    const answer = await t.core.router.stream('deidentify.export', params as never, {
      transport: 'test',
      token,
    });
    if (!answer.ok) return { error: answer.error };
    const zip = join(t.root, `export-${Date.now()}-${Math.random()}.zip`);
    writeFileSync(zip, answer.value.data as Uint8Array);
    const dir = `${zip}.d`;
    mkdirSync(dir);
    execFileSync('/usr/bin/unzip', ['-q', zip, '-d', dir]);
    return { dir, description: answer.value.description as DeidentifyDescription };
  }

  /** The imported file an exported image came from (instance order within its series). */
  function sourceOf(name: string): string | null {
    const m = /^S00(\d)-IM(\d{4})\.dcm$/.exec(name);
    if (m === null) return null;
    return join(t.inputDir, m[1] === '1' ? 'flair' : 't1', `IM${Number(m[2])}.dcm`);
  }

  it('exports the study with its SEG under one mapping, no PHI left, every file valid', async () => {
    const { flairScan, studyId } = await importStudy();
    await analyseScan(t, admin, flairScan);
    const first = await exportZip({ kind: 'study', id: studyId, includeResults: true });
    if (first.error !== undefined) throw new Error(first.error.message);
    const { dir, description } = first;
    expect(description.files).toBe(9);
    expect(description.pseudonymIds).toHaveLength(1);
    expect(description.fileName).toBe(`${description.pseudonymIds[0]}_study_deidentified.zip`);
    const facts = runPython<Record<string, Facts>>(FACTS_PY, [dir]);
    const names = Object.keys(facts).sort();
    expect(names).toEqual([
      'S001-IM0001.dcm',
      'S001-IM0002.dcm',
      'S001-IM0003.dcm',
      'S001-IM0004.dcm',
      'S001-IM0005.dcm',
      'S001-IM0006.dcm',
      'S001-SEG.dcm',
      'S002-IM0001.dcm',
      'S002-IM0002.dcm',
    ]);
    const all = Object.values(facts);
    // One study, one pseudonym, the identity removed, everywhere (the SEG too).
    expect(new Set(all.map((f) => f.study)).size).toBe(1);
    expect(all[0]!.study).not.toBe(STUDY);
    expect(new Set(all.map((f) => f.id))).toEqual(new Set(description.pseudonymIds));
    expect(all.every((f) => f.removed === 'YES' && f.name.startsWith('ANONYMOUS^'))).toBe(true);
    // The SEG references exactly the exported FLAIR images, under their new UIDs.
    const seg = facts['S001-SEG.dcm']!;
    expect(seg.sopClass).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    const flairSops = names.filter((n) => /^S001-IM/.test(n)).map((n) => facts[n]!.sop);
    expect(seg.refs.sort()).toEqual([...flairSops].sort());
    // No byte of any file holds the source's PHI or UIDs.
    for (const name of names) {
      const bytes = readFileSync(join(dir, name)).toString('latin1');
      for (const phi of [
        'Müller',
        'M\u00c3\u00bcller',
        'NS-0042',
        'ACC-42',
        'Who^Doctor',
        'Saint Elsewhere',
        'Nested^Secret',
        STUDY,
        FLAIR,
      ])
        expect(bytes, `${name}: ${phi}`).not.toContain(phi);
      // No dciodvfy error the source image did not have already (the fixtures are minimal MR
      // images); the SEG, written by Neurosphere, has none at all.
      const findings = validatorFindings(join(dir, name));
      const source = sourceOf(name);
      const known = source === null ? [] : validatorFindings(source).errors;
      expect(
        findings.errors.filter((e) => !known.includes(e)),
        `${name}\n${findings.output}`,
      ).toEqual([]);
    }
    // Stable: the same export again gives the same UIDs.
    const again = await exportZip({ kind: 'study', id: studyId, includeResults: true });
    if (again.error !== undefined) throw new Error(again.error.message);
    const second = runPython<Record<string, Facts>>(FACTS_PY, [again.dir]);
    expect(second['S002-IM0002.dcm']!.sop).toBe(facts['S002-IM0002.dcm']!.sop);
    // A single scan exported later lands in the same de-identified study and series.
    const scanOnly = await exportZip({ kind: 'scan', id: flairScan, dates: 'full' });
    if (scanOnly.error !== undefined) throw new Error(scanOnly.error.message);
    const scanFacts = runPython<Record<string, Facts>>(FACTS_PY, [scanOnly.dir]);
    expect(Object.keys(scanFacts)).toHaveLength(6);
    expect(scanFacts['S001-IM0001.dcm']!.sop).toBe(facts['S001-IM0001.dcm']!.sop);
    expect(scanFacts['S001-IM0001.dcm']!.studyDate).toBe('20240115');
    // Audited as an export, without the pseudonym or any name.
    const audit = t.core.db
      .prepare("SELECT details FROM audit_log WHERE action = 'deidentify.export'")
      .all() as Array<{ details: string }>;
    expect(audit).toHaveLength(3);
    expect(audit[0]!.details).not.toContain('ANON-');
    expect(readdirSync(dir)).toHaveLength(9);
  }, 120_000);

  it('refuses an image with burned-in text until the user confirms, and says why', async () => {
    const path = join(t.inputDir, 'burned.dcm');
    writeFileSync(path, makeDicom({ extraAttributes: { BurnedInAnnotation: 'YES' } }));
    const scanId = await importScan(t, admin, [path]);
    const refused = await exportZip({ kind: 'scan', id: scanId });
    expect(refused.error?.code).toBe('CONFLICT');
    expect(refused.error?.message).toMatch(
      /identifying text in its pixels \(Burned In Annotation is YES\).*confirm/,
    );
    const confirmed = await exportZip({ kind: 'scan', id: scanId, allowBurnedIn: 'true' });
    expect(confirmed.description?.burnedIn).toEqual([
      'S001-IM0001.dcm: Burned In Annotation is YES',
    ]);
  }, 60_000);

  it('answers clear errors for unknown ids, bad options and pictures; a viewer may export', async () => {
    const missing = await exportZip({ kind: 'study', id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.error?.code).toBe('NOT_FOUND');
    const bad = await exportZip({
      kind: 'scan',
      id: '00000000-0000-4000-8000-000000000000',
      dates: 'yesterday',
    });
    expect(bad.error?.code).toBe('INVALID_INPUT');
    const viewer = await addUser(t, admin, 'vera', 'viewer');
    const asViewer = await exportZip(
      { kind: 'study', id: '00000000-0000-4000-8000-000000000000' },
      viewer.token,
    );
    expect(asViewer.error?.code).toBe('NOT_FOUND');
  });
});
