import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppErrorData, Result } from '../../../src-shared/errors.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import {
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

function errorOf(result: Result<unknown>): AppErrorData | null {
  return result.ok ? null : result.error;
}

describe('care teams: a doctor sees only the patients assigned to them', () => {
  let t: TestCore;
  let admin: string;
  let doctor: { id: string; token: string };
  let patientToken: string;
  let own: { patientId: string; scanId: string };
  let other: { patientId: string; scanId: string };
  let third: { patientId: string; scanId: string };

  beforeAll(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    const importFor = async (mrn: string, name: string) => {
      writeDicomSeries(join(t.inputDir, mrn), 2, {
        patientId: mrn,
        patientName: name,
        rows: 16,
        columns: 16,
      });
      const scanId = await importScan(t, admin, [join(t.inputDir, mrn)]);
      const { scan } = await t.ok('scans.get', { id: scanId }, admin);
      return { scanId, patientId: scan.patientId as string };
    };
    own = await importFor('MRN-OWN', 'Own^Olga');
    other = await importFor('MRN-OTHER', 'Other^Oscar');
    third = await importFor('MRN-THIRD', 'Third^Thea');
    patientToken = (await addUser(t, admin, 'olga', 'patient', undefined, own.patientId)).token;
    const added = await addUser(t, admin, 'dr-dora', 'doctor');
    doctor = { id: added.user.id, token: added.token };
  }, 120_000);
  afterAll(() => t.dispose());

  const stream = (name: string, params: unknown, token: string) =>
    t.core.router.stream(name, params, { transport: 'test', token });

  it('sees no patient before any assignment', async () => {
    expect(await t.ok('careTeam.myPatients', {}, doctor.token)).toEqual([]);
    const refused = await t.fail('scans.get', { id: own.scanId }, doctor.token);
    expect(refused.code).toBe('NOT_FOUND');
  });

  it('connects with a patient’s code, once, and then sees that patient only', async () => {
    const made = await t.ok('careTeam.createCode', {}, patientToken);
    expect(made).toMatchObject({ stands: 'patient', doctorId: null });
    const link = await t.ok('careTeam.connect', { code: made.code }, doctor.token);
    expect(link).toMatchObject({ patientId: own.patientId, via: 'code' });
    expect(link.doctor.username).toBe('dr-dora');
    const again = await t.fail('careTeam.connect', { code: made.code }, doctor.token);
    expect(again).toMatchObject({ code: 'CONFLICT', message: /already used/ });

    const mine = await t.ok('careTeam.myPatients', {}, doctor.token);
    expect(mine.map((p) => p.id)).toEqual([own.patientId]);
    expect((await t.ok('scans.get', { id: own.scanId }, doctor.token)).scan.id).toBe(own.scanId);
    const scans = await t.ok('scans.list', {}, doctor.token);
    expect(scans.items.map((s) => s.id)).toEqual([own.scanId]);
    expect((await stream('frames.read', { scanId: own.scanId, index: 0 }, doctor.token)).ok).toBe(
      true,
    );
    expect(t.core.audit.list(500).map((e) => e.action)).toContain('careTeam.connect');
  });

  it('answers another patient’s records exactly as missing ones', async () => {
    const missing = await t.fail(
      'scans.get',
      { id: '00000000-0000-4000-8000-00000000dead' },
      doctor.token,
    );
    expect(missing.code).toBe('NOT_FOUND');
    const refusals = [
      await t.fail('scans.get', { id: other.scanId }, doctor.token),
      await t.fail('patients.get', { id: other.patientId }, doctor.token),
      await t.fail('scans.list', { patientId: other.patientId }, doctor.token),
      await t.fail('studies.list', { patientId: other.patientId }, doctor.token),
      await t.fail('reports.listForPatient', { patientId: other.patientId }, doctor.token),
      errorOf(await stream('frames.read', { scanId: other.scanId, index: 0 }, doctor.token)),
    ];
    for (const error of refusals) expect(error).toEqual(missing);
    for (const name of ['patients.list', 'worklist.list', 'jobs.list'])
      expect((await t.fail(name, {}, doctor.token)).code, name).toBe('PERMISSION_DENIED');
  });

  it('is assigned by an administrator, and then names which patient a list is for', async () => {
    await t.ok('careTeam.assign', { doctorId: doctor.id, patientId: third.patientId }, admin);
    const mine = await t.ok('careTeam.myPatients', {}, doctor.token);
    expect(mine.map((p) => p.id).sort()).toEqual([own.patientId, third.patientId].sort());
    const unnamed = await t.fail('scans.list', {}, doctor.token);
    expect(unnamed).toMatchObject({ code: 'INVALID_INPUT', message: /Choose a patient/ });
    const thirds = await t.ok('scans.list', { patientId: third.patientId }, doctor.token);
    expect(thirds.items.map((s) => s.id)).toEqual([third.scanId]);
    const links = await t.ok('careTeam.list', {}, admin);
    expect(links.map((l) => [l.patientId, l.via])).toEqual(
      expect.arrayContaining([
        [own.patientId, 'code'],
        [third.patientId, 'admin'],
      ]),
    );
    await t.ok('careTeam.unassign', { doctorId: doctor.id, patientId: third.patientId }, admin);
    expect((await t.fail('scans.get', { id: third.scanId }, doctor.token)).code).toBe('NOT_FOUND');
  });

  it('assigns only doctor accounts: other roles see what their role says', async () => {
    const radiologist = await addUser(t, admin, 'rad', 'radiologist');
    const refused = await t.fail(
      'careTeam.assign',
      { doctorId: radiologist.user.id, patientId: own.patientId },
      admin,
    );
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: /Only doctor accounts/ });
    // A radiologist's role reaches every patient without any assignment.
    expect((await t.ok('scans.get', { id: other.scanId }, radiologist.token)).scan.id).toBe(
      other.scanId,
    );
  });

  it('lets a patient enter a doctor’s code, but not a code of the same side', async () => {
    const second = await addUser(t, admin, 'dr-otto', 'doctor');
    const doctorCode = await t.ok('careTeam.createCode', { expiresInMinutes: 10 }, second.token);
    expect(doctorCode).toMatchObject({ stands: 'doctor', doctorId: second.user.id });
    const sameSide = await t.fail('careTeam.connect', { code: doctorCode.code }, doctor.token);
    expect(sameSide).toMatchObject({ code: 'INVALID_INPUT', message: /made by a doctor/ });
    const link = await t.ok('careTeam.connect', { code: doctorCode.code }, patientToken);
    expect(link).toMatchObject({ patientId: own.patientId, doctor: { username: 'dr-otto' } });
    expect((await t.ok('scans.get', { id: own.scanId }, second.token)).scan.id).toBe(own.scanId);
    expect((await t.fail('scans.get', { id: other.scanId }, second.token)).code).toBe('NOT_FOUND');
  });

  it('refuses an expired code and codes from accounts that are neither side', async () => {
    const made = await t.ok('careTeam.createCode', { expiresInMinutes: 5 }, patientToken);
    t.clock.advance(5 * 60_000 + 1);
    const late = await t.fail('careTeam.connect', { code: made.code }, doctor.token);
    expect(late).toMatchObject({ code: 'CONFLICT', message: /expired/ });
    const byAdmin = await t.fail('careTeam.createCode', {}, admin);
    expect(byAdmin).toMatchObject({ code: 'INVALID_INPUT', message: /administrator assigns/ });
  });
});
