import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureUid, makeDicom } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';

describe('scans.assignPatient with a real core', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array): string => {
    const path = join(t.inputDir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    return path;
  };
  const outbox = (): Array<{ entity: string; entity_id: string; op: string }> =>
    t.core.db.prepare('SELECT entity, entity_id, op FROM outbox ORDER BY id').all() as Array<{
      entity: string;
      entity_id: string;
      op: string;
    }>;

  it('assigns a NIfTI scan of no patient, then reassigns it, each with an audit entry', async () => {
    const scanId = await importScan(t, token, [write('flair.nii', makeNifti({ dims: [4, 4, 2] }))]);
    expect((await t.ok('scans.get', { id: scanId }, token)).scan.patientId).toBeNull();
    const ann = await t.ok('patients.create', { name: 'Ann Example', mrn: 'A-1' }, token);
    const bob = await t.ok('patients.create', { name: 'Bob Example' }, token);

    const first = await t.ok('scans.assignPatient', { scanId, patientId: ann.id }, token);
    expect(first).toEqual({
      patientId: ann.id,
      previousPatientId: null,
      scanIds: [scanId],
      studyIds: [],
    });
    const scan = (await t.ok('scans.get', { id: scanId }, token)).scan;
    expect(scan).toMatchObject({
      patientId: ann.id,
      patientName: 'Ann Example',
      patientMrn: 'A-1',
    });
    expect((await t.ok('scans.list', { patientId: ann.id }, token)).items.map((s) => s.id)).toEqual(
      [scanId],
    );
    expect((await t.ok('patients.get', { id: ann.id }, token)).scanCount).toBe(1);

    await t.ok('scans.assignPatient', { scanId, patientId: bob.id }, token);
    expect((await t.ok('patients.get', { id: ann.id }, token)).scanCount).toBe(0);
    expect((await t.ok('patients.get', { id: bob.id }, token)).scanCount).toBe(1);

    const entries = t.core.audit.list(50).filter((e) => e.action === 'scans.assignPatient');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ patientId: ann.id, previousPatientId: null, scope: 'scan' }),
        expect.objectContaining({ patientId: bob.id, previousPatientId: ann.id, scope: 'scan' }),
      ]),
    );
    expect(entries.every((e) => e.target === scanId && e.actor !== null)).toBe(true);
    expect(
      outbox().filter((o) => o.entity === 'scan' && o.entity_id === scanId && o.op === 'update'),
    ).toHaveLength(2);

    // Assigning it to the patient it has changes nothing and writes no entry.
    await t.ok('scans.assignPatient', { scanId, patientId: bob.id }, token);
    expect(t.core.audit.list(50).filter((e) => e.action === 'scans.assignPatient')).toHaveLength(2);
  });

  it('moves a DICOM study with all its series, and refuses to split it', async () => {
    const studyInstanceUid = fixtureUid();
    const series = [fixtureUid(), fixtureUid()];
    series.forEach((seriesInstanceUid, n) =>
      write(
        `study/s${n}.dcm`,
        makeDicom({
          studyInstanceUid,
          seriesInstanceUid,
          sopInstanceUid: `${seriesInstanceUid}.1`,
          seriesNumber: n + 1,
          rows: 4,
          columns: 4,
        }),
      ),
    );
    const job = await t.ok('import.files', { paths: [join(t.inputDir, 'study')] }, token);
    await t.core.jobs.whenFinished(job.id);
    const { scanIds } = await t.ok('import.report', { id: job.id }, token);
    expect(scanIds).toHaveLength(2);
    const first = (await t.ok('scans.get', { id: scanIds[0]! }, token)).scan;
    const headerPatient = first.patientId!;
    expect(first.patientMrn).toBe('NS-0001');
    const target = await t.ok('patients.create', { name: 'Right Patient' }, token);

    expect(
      await t.fail('scans.assignPatient', { scanId: first.id, patientId: target.id }, token),
    ).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/study with 2 series/) });

    const moved = await t.ok(
      'scans.assignPatient',
      { scanId: first.id, patientId: target.id, scope: 'study' },
      token,
    );
    expect(moved.previousPatientId).toBe(headerPatient);
    expect([...moved.scanIds].sort()).toEqual([...scanIds].sort());
    expect(moved.studyIds).toEqual([first.studyId]);
    expect((await t.ok('studies.list', { patientId: target.id }, token)).map((s) => s.id)).toEqual([
      first.studyId,
    ]);
    expect(await t.ok('studies.list', { patientId: headerPatient }, token)).toEqual([]);
    for (const id of scanIds)
      expect((await t.ok('scans.get', { id }, token)).scan.patientId).toBe(target.id);
    expect(outbox().filter((o) => o.entity === 'study' && o.op === 'update')).toHaveLength(1);

    // A later import of another series of the same study joins the study's (new) patient.
    const later = fixtureUid();
    const laterId = await importScan(t, token, [
      write(
        'later.dcm',
        makeDicom({ studyInstanceUid, seriesInstanceUid: later, sopInstanceUid: `${later}.1` }),
      ),
    ]);
    expect((await t.ok('scans.get', { id: laterId }, token)).scan.patientId).toBe(target.id);
  });

  it('answers clear errors and keeps viewers out', async () => {
    const scanId = await importScan(t, token, [write('a.png', makePng(4, 4))]);
    const missing = '00000000-0000-4000-8000-00000000dead';
    expect(
      await t.fail('scans.assignPatient', { scanId, patientId: missing }, token),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No such patient/),
    });
    const p = await t.ok('patients.create', { name: 'P' }, token);
    expect(
      await t.fail('scans.assignPatient', { scanId: missing, patientId: p.id }, token),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/No such scan/) });
    await t.ok(
      'users.create',
      { username: 'vera', password: 'a long password', role: 'viewer' },
      token,
    );
    const viewer = (await t.ok('auth.login', { username: 'vera', password: 'a long password' }))
      .token;
    expect(await t.fail('scans.assignPatient', { scanId, patientId: p.id }, viewer)).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('edits a patient’s attributes with the old values audited; a DICOM Patient ID stays', async () => {
    const dicomScan = await importScan(t, token, [
      write('one.dcm', makeDicom({ rows: 4, columns: 4, patientId: 'HDR-7' })),
    ]);
    const dicomPatient = (await t.ok('scans.get', { id: dicomScan }, token)).scan.patientId!;
    const renamed = await t.ok(
      'patients.update',
      { id: dicomPatient, name: 'Corrected Name', sex: 'M' },
      token,
    );
    expect(renamed).toMatchObject({ name: 'Corrected Name', sex: 'M', mrn: 'HDR-7' });
    const entry = t.core.audit.list(50).find((e) => e.action === 'patients.update');
    expect(entry?.details).toMatchObject({ before: { name: 'Test, Patient', sex: 'F' } });
    expect(
      await t.fail('patients.update', { id: dicomPatient, mrn: 'OTHER' }, token),
    ).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/comes from this patient's DICOM/),
    });

    // A patient of NIfTI scans only: every attribute is the site's own, the Patient ID included.
    const niftiScan = await importScan(t, token, [write('v.nii', makeNifti({ dims: [4, 4, 2] }))]);
    const own = await t.ok('patients.create', { name: 'Own', mrn: 'X-1' }, token);
    await t.ok('scans.assignPatient', { scanId: niftiScan, patientId: own.id }, token);
    expect(
      await t.ok('patients.update', { id: own.id, mrn: 'X-2', birthDate: '1980-02-03' }, token),
    ).toMatchObject({ mrn: 'X-2', birthDate: '1980-02-03' });
  });
});
