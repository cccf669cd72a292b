import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../../src-shared/contract/methods.js';
import { streams } from '../../../src-shared/contract/streams.js';
import type { AppErrorData, Result } from '../../../src-shared/errors.js';
import { ROLES, ROLE_SCOPE, roleHasPermission, type Role } from '../../../src-shared/roles.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import {
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { PATIENT_SCOPE_RULES } from './patient-scope.js';

type Call = { name: string; kind: 'method' | 'stream'; access: string };

/** Every method and every stream of the contract, with who may call it. */
const CALLS: Call[] = [
  ...Object.entries(methods).map(([name, spec]) => ({
    name,
    kind: 'method' as const,
    access: spec.access,
  })),
  ...Object.entries(streams).map(([name, spec]) => ({
    name,
    kind: 'stream' as const,
    access: spec.access,
  })),
  // Logging out last: it ends the session the other calls use.
].sort((a, b) => Number(a.name === 'auth.logout') - Number(b.name === 'auth.logout'));

function errorOf(result: Result<unknown>): AppErrorData | null {
  return result.ok ? null : result.error;
}

describe('the permission matrix: every method and stream against every role', () => {
  let t: TestCore;
  const tokens = new Map<Role, string>();
  /** For each role, the calls the router let through its permission check. */
  const callable = new Map<Role, Set<string>>();

  beforeAll(async () => {
    t = startTestCore();
    const admin = await setupAdmin(t);
    const patient = await t.ok('patients.create', { name: 'Matrix, Pat' }, admin);
    tokens.set('admin', admin);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const user = await t.ok(
        'users.create',
        {
          username: `${role}-user`,
          password: 'a long enough password',
          role,
          ...(role === 'patient' && { patientId: patient.id }),
        },
        admin,
      );
      expect(user.role).toBe(role);
      const { token } = await t.ok('auth.login', {
        username: `${role}-user`,
        password: 'a long enough password',
      });
      tokens.set(role, token);
    }
    // Each call is made with an empty input: the permission check comes before validation, so
    // a refusal is PERMISSION_DENIED whatever the input, and an allowed call fails (if at all)
    // with INVALID_INPUT or NOT_FOUND.
    for (const role of ROLES) {
      const token = tokens.get(role) as string;
      const allowed = new Set<string>();
      for (const call of CALLS) {
        const context = { transport: 'test' as const, token };
        const result =
          call.kind === 'method'
            ? await t.core.router.call(call.name, {}, context)
            : await t.core.router.stream(call.name, {}, context);
        const error = errorOf(result);
        expect(error?.code, `${role} ${call.name}`).not.toBe('INTERNAL');
        expect(error?.code, `${role} ${call.name}`).not.toBe('UNAUTHENTICATED');
        if (error?.code !== 'PERMISSION_DENIED') allowed.add(call.name);
      }
      callable.set(role, allowed);
    }
  }, 120_000);
  afterAll(() => t.dispose());

  it('admits exactly the calls each role’s permissions and data scope allow', () => {
    for (const role of ROLES) {
      for (const call of CALLS) {
        const byPermission =
          call.access === 'public' ||
          call.access === 'authenticated' ||
          roleHasPermission(role, call.access as Parameters<typeof roleHasPermission>[1]);
        const byScope =
          call.access === 'public' ||
          call.access === 'authenticated' ||
          ROLE_SCOPE[role] === 'all' ||
          Object.hasOwn(PATIENT_SCOPE_RULES, call.name);
        expect(callable.get(role)?.has(call.name), `${role} ${call.name}`).toBe(
          byPermission && byScope,
        );
      }
    }
  });

  /** The calls of a role that are neither public nor for any logged-in user. */
  function gated(role: Role): string[] {
    const open = new Set(
      CALLS.filter((c) => c.access === 'public' || c.access === 'authenticated').map((c) => c.name),
    );
    return [...(callable.get(role) ?? [])].filter((name) => !open.has(name)).sort();
  }
  const READS =
    /^careTeam\.myPatients$|^(scans|patients|studies|worklist|images|jobs|analysis|reports|measurements|models|import|dashboard|system|clinic|frames|labels)\.(list|get|read|tags|frameInfo|scanLabels|stats|report|info|image|export|csv|dicomSeg|pdf|dicom|listForPatient|listForScan|patientStats|growth|compareSegmentation|listWithAnalyses|box)$|^attachments\.mesh$|^deidentify\.export$|^visualizations\.(list|get|html)$|^dental\.(cases\.list|cases\.get|captions\.list|folders\.list|files\.list|file|voiceCaptions\.list|voiceCaptions\.get)$|^dicom\.(echo|find|node\.get)$|^sync\.(status|items|hub\.destinations)$|^readings\.(get|list|suggestTreatment)$|^dicomweb\.(test|search)$/;

  it('keeps account management and clinic settings to the administrator', () => {
    for (const role of ROLES) {
      const mayManage = ['users.list', 'users.create', 'users.update', 'clinic.update'].filter(
        (name) => callable.get(role)?.has(name),
      );
      expect(mayManage, role).toEqual(role === 'admin' ? mayManage : []);
    }
    expect(gated('admin')).toContain('users.update');
  });

  it('keeps the audit trail (page, verify, CSV export) to the administrator', () => {
    const auditCalls = ['audit.list', 'audit.filterOptions', 'audit.verify', 'audit.csv'];
    for (const name of auditCalls)
      expect(CALLS.find((c) => c.name === name)?.access, name).toBe('audit.read');
    for (const role of ROLES) {
      const allowed = auditCalls.filter((name) => callable.get(role)?.has(name));
      expect(allowed, role).toEqual(role === 'admin' ? auditCalls : []);
    }
  });

  it('lets viewer, student, demo and patient only read', () => {
    for (const role of ['viewer', 'student', 'demo', 'patient'] as const) {
      expect(
        gated(role).filter((name) => !READS.test(name)),
        role,
      ).toEqual(role === 'patient' ? CONNECT_CALLS : []);
    }
  });

  /** A patient's and a doctor's only writes: connect codes, which act on their own account. */
  const CONNECT_CALLS = ['careTeam.connect', 'careTeam.createCode'];

  it('lets a doctor read (its assigned patients) and connect, and nothing else', () => {
    expect(gated('doctor').filter((name) => !READS.test(name))).toEqual(CONNECT_CALLS);
    for (const name of ['jobs.list', 'worklist.list', 'patients.list', 'system.info'])
      expect(callable.get('doctor')?.has(name), name).toBe(false);
  });

  it('keeps invitations and care-team assignment to the administrator', () => {
    const adminOnly = [
      'invitations.create',
      'invitations.list',
      'invitations.revoke',
      'careTeam.list',
      'careTeam.assign',
      'careTeam.unassign',
    ];
    for (const role of ROLES)
      for (const name of adminOnly)
        expect(callable.get(role)?.has(name), `${role} ${name}`).toBe(role === 'admin');
    // Registering is the one account call without a session (the invitation is the credential).
    expect(methods['auth.register'].access).toBe('public');
  });

  it('lets an annotator write measurements and nothing else', () => {
    expect(gated('annotator').filter((name) => !READS.test(name))).toEqual([
      'measurements.create',
      'measurements.delete',
      'measurements.update',
    ]);
  });

  it('lets a workstation account only send records to this hub, and read nothing', () => {
    expect(gated('workstation')).toEqual(['sync.hub.receive']);
    const receivers = ROLES.filter((role) => callable.get(role)?.has('sync.hub.receive'));
    expect(receivers).toEqual(['admin', 'workstation']);
  });

  it('lets only the administrator and radiologists sign reports, and never a technologist', () => {
    const signers = ROLES.filter((role) => callable.get(role)?.has('reports.sign'));
    expect(signers).toEqual(['admin', 'radiologist']);
  });

  it('gives a patient only their own records’ reads, with no jobs, worklist or system details', () => {
    expect(gated('patient')).toEqual(
      Object.keys(PATIENT_SCOPE_RULES)
        .filter((name) => {
          const access = CALLS.find((c) => c.name === name)?.access;
          return roleHasPermission('patient', access as Parameters<typeof roleHasPermission>[1]);
        })
        .sort(),
    );
    for (const name of ['jobs.list', 'worklist.list', 'patients.list', 'system.info'])
      expect(callable.get('patient')?.has(name), name).toBe(false);
  });
});

describe('a patient account sees only its own data', () => {
  let t: TestCore;
  let admin: string;
  let patientToken: string;
  let own: { patientId: string; scanId: string };
  let other: { patientId: string; scanId: string };

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
    patientToken = (
      await addUser(t, admin, 'olga', 'patient', 'a long enough password', own.patientId)
    ).token;
  }, 120_000);
  afterAll(() => t.dispose());

  const stream = (name: string, params: unknown) =>
    t.core.router.stream(name, params, { transport: 'test', token: patientToken });

  it('lists and opens only its own scans and patient record', async () => {
    const scans = await t.ok('scans.list', {}, patientToken);
    expect(scans.items.map((s) => s.id)).toEqual([own.scanId]);
    expect((await t.ok('patients.get', { id: own.patientId }, patientToken)).name).toMatch(/Olga/);
    expect((await t.ok('scans.get', { id: own.scanId }, patientToken)).scan.id).toBe(own.scanId);
    const frame = await stream('frames.read', { scanId: own.scanId, index: 0 });
    expect(frame.ok).toBe(true);
  });

  it('answers another patient’s records exactly as missing ones', async () => {
    const missing = await t.fail(
      'scans.get',
      { id: '00000000-0000-4000-8000-00000000dead' },
      patientToken,
    );
    expect(missing.code).toBe('NOT_FOUND');
    const refusals = [
      await t.fail('scans.get', { id: other.scanId }, patientToken),
      await t.fail('patients.get', { id: other.patientId }, patientToken),
      await t.fail('scans.list', { patientId: other.patientId }, patientToken),
      await t.fail('studies.list', { patientId: other.patientId }, patientToken),
      await t.fail('reports.listForScan', { scanId: other.scanId }, patientToken),
      errorOf(await stream('frames.read', { scanId: other.scanId, index: 0 })),
      errorOf(await stream('labels.read', { scanId: other.scanId, source: 'analysis' })),
      errorOf(await stream('labels.box', { scanId: other.scanId, source: 'analysis' })),
    ];
    for (const error of refusals) expect(error).toEqual(missing);
  });

  it('lists only its own scans with analyses and its own reports, whatever filter it asks', async () => {
    const page = await t.ok('scans.listWithAnalyses', {}, patientToken);
    expect(page.items.map((item) => item.scan.id)).toEqual([own.scanId]);
    expect(page.total).toBe(1);
    expect((await t.ok('reports.list', {}, patientToken)).total).toBe(0);
    const missing = await t.fail(
      'scans.get',
      { id: '00000000-0000-4000-8000-00000000dead' },
      patientToken,
    );
    for (const refused of [
      await t.fail('scans.listWithAnalyses', { patientId: other.patientId }, patientToken),
      await t.fail('reports.list', { patientId: other.patientId }, patientToken),
    ])
      expect(refused).toEqual(missing);
    // Staff see both patients' scans in one page.
    expect((await t.ok('scans.listWithAnalyses', {}, admin)).total).toBe(2);
  });

  it('is refused the worklist, jobs and patient list', async () => {
    for (const name of ['worklist.list', 'jobs.list', 'patients.list', 'dashboard.stats']) {
      expect((await t.fail(name, {}, patientToken)).code, name).toBe('PERMISSION_DENIED');
    }
  });

  it('needs a patient record to be created, and only a patient account may have one', async () => {
    const unlinked = await t.fail(
      'users.create',
      { username: 'pat2', password: 'a long enough password', role: 'patient' },
      admin,
    );
    expect(unlinked).toMatchObject({
      code: 'INVALID_INPUT',
      message: /linked to its patient record/,
    });
    const linkedViewer = await t.fail(
      'users.create',
      {
        username: 'v2',
        password: 'a long enough password',
        role: 'viewer',
        patientId: own.patientId,
      },
      admin,
    );
    expect(linkedViewer.message).toMatch(/Only a patient account/);
  });
});
