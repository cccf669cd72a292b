import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient, User } from '../../../src-shared/contract/entities.js';
import type { Report } from '../../../src-shared/contract/reports.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  analyseWithBrightSpot,
  rpc,
  startServerWithSpotScan,
  valueOf,
  type SpotScanServer,
} from '../testing/test-server.js';
import { expectShape, jsonOf } from './testing/rest-expect.js';

/**
 * The routes that need patient accounts and account lists, replayed as the seeds write them
 * against a real `serve`: the Brain Tumor Detection seed's patient portal and admin report list,
 * the doctor/patient seed's `PUT /users/me` and `GET /users/`, and the Neurosphere seed's scan
 * list read in one call (one audit entry per page).
 */
let ctx: SpotScanServer;
let url: string;
let patientA: Patient;
let patientB: Patient;
let scanOfA: string;
let scanOfB: string;
let signedReport: Report;
let draftReport: Report;
let patientToken: string;
const PATIENT_PASSWORD = 'amber meadow quartz 42';
const bearer = (token = ctx.token) => ({ Authorization: `Bearer ${token}` });
const jsonHeaders = (token = ctx.token) => ({
  ...bearer(token),
  'Content-Type': 'application/json',
});

async function uploadFor(patient: Patient, shade: number): Promise<string> {
  const form = new FormData();
  const png = makePng(32, 32, (x, y) => (x >= 4 && x < 12 && y >= 20 && y < 28 ? 240 : shade));
  form.append('patient_id', patient.id);
  form.append('files', new Blob([png], { type: 'image/png' }), `${patient.name}.png`);
  const response = await fetch(`${url}/api/admin/scans/upload`, {
    method: 'POST',
    headers: bearer(),
    body: form,
  });
  const body = await jsonOf(response);
  expect(response.status, JSON.stringify(body)).toBe(201);
  return (body['scans'] as Array<{ id: string }>)[0]?.id as string;
}

async function login(path: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

beforeAll(async () => {
  ctx = await startServerWithSpotScan('spot.png');
  url = ctx.server.url;
  const create = async (name: string) =>
    valueOf<Patient>(await rpc(ctx.server, 'patients.create', { name }, ctx.token));
  patientA = await create('Ada Lovelace');
  patientB = await create('Bob Builder');
  scanOfA = await uploadFor(patientA, 50);
  scanOfB = await uploadFor(patientB, 70);
  await analyseWithBrightSpot(ctx.server, ctx.token, scanOfA);
  const report = (scanId: string) =>
    rpc(ctx.server, 'reports.create', { scanId }, ctx.token).then((r) => valueOf<Report>(r));
  const toSign = await report(scanOfA);
  valueOf(
    await rpc(
      ctx.server,
      'reports.update',
      { id: toSign.id, impression: 'Small bright focus.' },
      ctx.token,
    ),
  );
  signedReport = valueOf<Report>(
    await rpc(ctx.server, 'reports.sign', { id: toSign.id }, ctx.token),
  );
  await analyseWithBrightSpot(ctx.server, ctx.token, scanOfB);
  draftReport = await report(scanOfB);
  valueOf<User>(
    await rpc(
      ctx.server,
      'users.create',
      { username: 'ada', password: PATIENT_PASSWORD, role: 'patient', patientId: patientA.id },
      ctx.token,
    ),
  );
  const session = await jsonOf(await login('/api/patient/login', 'ada', PATIENT_PASSWORD));
  patientToken = session['token'] as string;
}, 90_000);
afterAll(async () => {
  await ctx.cleanup();
});

describe('Neurosphere seed: GET /api/scans reads a page and its analyses in one call', () => {
  it('answers the findings and writes one audit entry for the page, not one per scan', async () => {
    const audited = () =>
      (
        ctx.server.core.db
          .prepare(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('scans.list', 'analysis.read')",
          )
          .get() as { n: number }
      ).n;
    ctx.server.core.audit.flushReads();
    const before = audited();
    const response = await fetch(`${url}/api/scans?page=1&limit=10`, { headers: bearer() });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    const scans = body['scans'] as Array<Record<string, unknown>>;
    expect(scans).toHaveLength(3);
    expect(body['total']).toBe(3);
    const ofA = scans.find((scan) => scan['id'] === scanOfA);
    expect(ofA).toMatchObject({ tumorDetected: true, status: 'completed' });
    expectShape(ofA, { location: 'string', size: 'string' }, 'scan');
    // The spot scan of the fixture was never analysed.
    expect(scans.find((scan) => scan['id'] === ctx.scanId)).toMatchObject({ tumorDetected: null });
    // A GET's row is committed with the other reads of the next few milliseconds.
    await expect.poll(audited, { timeout: 2000, interval: 5 }).toBe(before + 1);
    const entry = ctx.server.core.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'scans.list' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { details: string };
    expect(JSON.parse(entry.details)['withAnalyses']).toEqual(scans.map((scan) => scan['id']));
  });

  it('pages deep and by status with the same answers as the unpaged list', async () => {
    const ids = async (query: string) =>
      (
        (await jsonOf(await fetch(`${url}/api/scans?${query}`, { headers: bearer() })))[
          'scans'
        ] as Array<{ id: string }>
      ).map((scan) => scan.id);
    const all = await ids('limit=10');
    expect([
      ...(await ids('page=1&limit=1')),
      ...(await ids('page=2&limit=1')),
      ...(await ids('page=3&limit=1')),
    ]).toEqual(all);
    expect(await ids('page=4&limit=1')).toEqual([]);
    expect(await ids('status=imported')).toEqual([ctx.scanId]);
  });
});

describe('Brain Tumor Detection seed: patient portal', () => {
  it("POST /api/patient/login answers a token and the account's own patient id", async () => {
    const response = await login('/api/patient/login', 'ada', PATIENT_PASSWORD);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expectShape(body, {
      success: 'boolean',
      token: 'string',
      user: 'object',
      patient_id: 'string',
    });
    expect(body['patient_id']).toBe(patientA.id);
    const refused = await login('/api/patient/login', 'ada', 'wrong password here');
    expect(refused.status).toBe(401);
    expectShape(await jsonOf(refused), { success: 'boolean', error: 'string', code: 'string' });
  });

  it("GET /api/patient/{id}: the own record; another patient's is 404", async () => {
    const own = await fetch(`${url}/api/patient/${patientA.id}`, { headers: bearer(patientToken) });
    expect(own.status).toBe(200);
    const body = await jsonOf(own);
    expectShape(body['patient'], { id: 'string', name: 'string', scan_count: 'number' }, 'patient');
    expect((body['patient'] as { name: string }).name).toBe('Ada Lovelace');
    const other = await fetch(`${url}/api/patient/${patientB.id}`, {
      headers: bearer(patientToken),
    });
    expect(other.status).toBe(404);
    expect(await jsonOf(other)).toMatchObject({ success: false, code: 'NOT_FOUND' });
    const malformed = await fetch(`${url}/api/patient/42`, { headers: bearer(patientToken) });
    expect(malformed.status).toBe(400);
    expectShape(await jsonOf(malformed), {
      success: 'boolean',
      error: 'string',
      code: 'string',
      details: 'string',
    });
  });

  it('GET /api/patient/{id}/scans: only the own scans, with their prediction', async () => {
    const body = await jsonOf(
      await fetch(`${url}/api/patient/${patientA.id}/scans`, { headers: bearer(patientToken) }),
    );
    const scans = body['scans'] as Array<Record<string, unknown>>;
    expect(scans.map((scan) => scan['id'])).toEqual([scanOfA]);
    expectShape(
      scans[0],
      { scan_id: 'string', patient_id: 'string', prediction: 'string', confidence: 'number' },
      'scan',
    );
    expect(scans[0]?.['prediction']).toBe('tumor');
    const other = await fetch(`${url}/api/patient/${patientB.id}/scans`, {
      headers: bearer(patientToken),
    });
    expect(other.status).toBe(404);
  });

  it('GET /api/patient/{id}/reports: only the own signed reports', async () => {
    const body = await jsonOf(
      await fetch(`${url}/api/patient/${patientA.id}/reports`, { headers: bearer(patientToken) }),
    );
    const reports = body['reports'] as Array<Record<string, unknown>>;
    expect(reports.map((report) => report['report_id'])).toEqual([signedReport.id]);
    expectShape(reports[0], { download_url: 'string', status: 'string', created_at: 'string' });
    const pdf = await fetch(`${url}${reports[0]?.['download_url'] as string}`, {
      headers: bearer(patientToken),
    });
    expect(pdf.status).toBe(200);
    // Staff see patient B's draft through the portal's route neither: drafts are not shown.
    const ofB = await jsonOf(
      await fetch(`${url}/api/patient/${patientB.id}/reports`, { headers: bearer() }),
    );
    expect(ofB['reports']).toEqual([]);
    expect(
      (await fetch(`${url}/api/patient/${patientB.id}/reports`, { headers: bearer(patientToken) }))
        .status,
    ).toBe(404);
  });
});

describe('Brain Tumor Detection seed: GET /api/admin/reports', () => {
  it("lists every patient's reports with status and patient filters", async () => {
    const list = async (query = '', token = ctx.token) =>
      fetch(`${url}/api/admin/reports${query}`, { headers: bearer(token) });
    const all = await jsonOf(await list());
    expectShape(all, { success: 'boolean', reports: 'array', total: 'number' });
    const ids = (body: Record<string, unknown>) =>
      (body['reports'] as Array<{ report_id: string }>).map((report) => report.report_id);
    expect(ids(all).sort()).toEqual([signedReport.id, draftReport.id].sort());
    expect(ids(await jsonOf(await list('?status=draft')))).toEqual([draftReport.id]);
    expect(ids(await jsonOf(await list(`?patient_id=${patientA.id}`)))).toEqual([signedReport.id]);
    const badStatus = await list('?status=sent');
    expect(badStatus.status).toBe(400);
    expect(await jsonOf(badStatus)).toMatchObject({ success: false, code: 'INVALID_INPUT' });
    // A patient account reaches only its own reports, whatever it asks for.
    expect(ids(await jsonOf(await list('', patientToken)))).toEqual([signedReport.id]);
    expect((await list(`?patient_id=${patientB.id}`, patientToken)).status).toBe(404);
  });
});

describe('doctor/patient seed: users', () => {
  it('GET /api/users/ lists accounts with role and is_active filters, for administrators only', async () => {
    const list = (query: string, token = ctx.token) =>
      fetch(`${url}/api/users/${query}`, { headers: bearer(token) });
    const all = await jsonOf(await list(''));
    expectShape(all, { success: 'boolean', data: 'array' });
    const data = all['data'] as Array<Record<string, unknown>>;
    expectShape(data[0], {
      email: 'string|null',
      is_active: 'boolean',
      role: 'string',
      id: 'string',
    });
    // By username, ignoring case.
    expect(data.map((user) => user['username'])).toEqual(['ada', 'admin']);
    const patients = await jsonOf(await list('?role=PATIENT&is_active=true'));
    expect((patients['data'] as Array<{ username: string }>).map((u) => u.username)).toEqual([
      'ada',
    ]);
    const paged = await jsonOf(await list('?skip=1&limit=1'));
    expect((paged['data'] as Array<{ username: string }>).map((u) => u.username)).toEqual([
      'admin',
    ]);
    expect((await jsonOf(await list('?is_active=false')))['data']).toEqual([]);
    const badRole = await list('?role=WIZARD');
    expect(badRole.status).toBe(422);
    expect(await jsonOf(badRole)).toMatchObject({
      success: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('WIZARD') },
    });
    expect((await list('?limit=0')).status).toBe(422);
    const asPatient = await list('', patientToken);
    expect(asPatient.status).toBe(403);
    expect(await jsonOf(asPatient)).toMatchObject({
      success: false,
      error: { code: 'PERMISSION_DENIED' },
    });
  });

  it('PUT /api/users/me changes the own password given the current one', async () => {
    const put = (body: unknown, token = patientToken) =>
      fetch(`${url}/api/users/me`, {
        method: 'PUT',
        headers: jsonHeaders(token),
        body: JSON.stringify(body),
      });
    const withEmail = await put({ email: 'ada@example.com', password: 'x' });
    expect(withEmail.status).toBe(422);
    expect(await jsonOf(withEmail)).toMatchObject({
      success: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('e-mail') },
    });
    expect((await put({ password: 'violet harbour engine 9' })).status).toBe(422);
    const wrongCurrent = await put({
      password: 'violet harbour engine 9',
      current_password: 'not the password',
    });
    expect(wrongCurrent.status).toBe(403);
    const changed = await put({
      password: 'violet harbour engine 9',
      current_password: PATIENT_PASSWORD,
    });
    const body = await jsonOf(changed);
    expect(changed.status, JSON.stringify(body)).toBe(200);
    expectShape(body['data'], {
      email: 'string|null',
      is_active: 'boolean',
      role: 'string',
      id: 'string',
    });
    expect((body['data'] as { role: string }).role).toBe('PATIENT');
    expect((await login('/api/patient/login', 'ada', PATIENT_PASSWORD)).status).toBe(401);
    const again = await login('/api/patient/login', 'ada', 'violet harbour engine 9');
    expect(again.status).toBe(200);
    patientToken = (await jsonOf(again))['token'] as string;
  });
});
