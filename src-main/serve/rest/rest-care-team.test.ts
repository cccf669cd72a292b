import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from '../testing/test-server.js';
import { expectShape, jsonOf } from './testing/rest-expect.js';

/**
 * The doctor/patient seed's register (by invitation), connect-token and patients routes against a
 * real `serve`: the seed's request and answer shapes, and the contract's errors in its format.
 */
let ctx: TestServer;
let url: string;
let admin: string;
const PASSWORD = 'a long enough password';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const postJson = (path: string, body: unknown, token?: string) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token !== undefined && bearer(token)) },
    body: JSON.stringify(body),
  });

async function invite(role: string, patientId?: string): Promise<{ code: string; token: string }> {
  return valueOf(
    await rpc(
      ctx.server,
      'invitations.create',
      { role, ...(patientId !== undefined && { patientId }) },
      admin,
    ),
  );
}

async function accessToken(username: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    body: new URLSearchParams({ email: username, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  return ((await jsonOf(login))['data'] as { access_token: string }).access_token;
}

beforeAll(async () => {
  ctx = await startTestServer();
  url = ctx.server.url;
  admin = await setUpAdmin(ctx.server);
}, 60_000);
afterAll(async () => {
  await ctx.cleanup();
});

describe('doctor/patient seed: register by invitation, connect tokens, a doctor’s patients', () => {
  it('registers with an invitation (seed shape), once; refuses unknown codes and missing fields', async () => {
    const { code } = await invite('doctor');
    const response = await postJson('/api/auth/register', {
      email: 'dr-dora',
      password: PASSWORD,
      role: 'DOCTOR',
      invitation: code,
    });
    const body = await jsonOf(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expectShape(
      body['data'],
      {
        id: 'string',
        email: 'string|null',
        is_active: 'boolean',
        is_superuser: 'boolean',
        role: 'string',
        created_at: 'string',
        updated_at: 'string',
      },
      'data',
    );
    expect(body['data']).toMatchObject({ role: 'DOCTOR', is_superuser: false, is_active: true });

    const reused = await postJson('/api/auth/register', {
      email: 'dr-eve',
      password: PASSWORD,
      invitation: code,
    });
    expect(reused.status).toBe(409);
    expect(await jsonOf(reused)).toMatchObject({
      success: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already used/) as string },
    });
    const unknown = await postJson('/api/auth/register', {
      email: 'mallory',
      password: PASSWORD,
      invitation: 'ZZZZZ-ZZZZZ',
    });
    expect(unknown.status).toBe(404);
    const incomplete = await postJson('/api/auth/register', { email: 'x', password: PASSWORD });
    expect(incomplete.status).toBe(422);
    expect(await jsonOf(incomplete)).toMatchObject({
      success: false,
      error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'invitation' }] } },
    });
  });

  it('a patient creates a connect token, the doctor connects with it and lists only that patient', async () => {
    const mine = valueOf<{ id: string }>(
      await rpc(ctx.server, 'patients.create', { name: 'Connected, Cleo', mrn: 'MRN-C' }, admin),
    );
    valueOf(await rpc(ctx.server, 'patients.create', { name: 'Stranger, Sam' }, admin));
    const { token } = await invite('patient', mine.id);
    expect(
      (
        await postJson('/api/auth/register', {
          email: 'cleo',
          password: PASSWORD,
          invitation: token,
        })
      ).status,
    ).toBe(200);
    const patient = await accessToken('cleo');
    const doctor = await accessToken('dr-dora');

    const created = await postJson(
      '/api/patients/create-connect-token',
      { expires_in_minutes: 60 },
      patient,
    );
    const made = (await jsonOf(created))['data'] as Record<string, unknown>;
    expect(created.status).toBe(200);
    expectShape(made, { token: 'string', expires_at: 'string', doctor_id: 'string|null' }, 'data');

    const before = await jsonOf(await fetch(`${url}/api/patients/`, { headers: bearer(doctor) }));
    expect(before).toEqual({ success: true, data: [] });

    const connect = await fetch(
      `${url}/api/patients/connect-doctor/${encodeURIComponent(made['token'] as string)}`,
      { method: 'POST', headers: bearer(doctor) },
    );
    const connected = await jsonOf(connect);
    expect(connect.status, JSON.stringify(connected)).toBe(200);
    expectShape(
      connected['data'],
      { id: 'string', role: 'string', is_active: 'boolean', email: 'string|null' },
      'data',
    );
    expect(connected['data']).toMatchObject({ role: 'DOCTOR', patient_id: mine.id });

    const listed = await fetch(`${url}/api/patients/?skip=0&limit=100`, {
      headers: bearer(doctor),
    });
    const patients = (await jsonOf(listed))['data'] as Array<Record<string, unknown>>;
    expect(listed.status).toBe(200);
    expect(patients.map((p) => p['id'])).toEqual([mine.id]);
    expectShape(patients[0], { id: 'string', role: 'string', is_active: 'boolean' }, 'data[0]');

    const again = await fetch(
      `${url}/api/patients/connect-doctor/${encodeURIComponent(made['token'] as string)}`,
      { method: 'POST', headers: bearer(doctor) },
    );
    expect(again.status).toBe(409);
    expect(
      (await fetch(`${url}/api/patients/?limit=nope`, { headers: bearer(doctor) })).status,
    ).toBe(422);
    expect((await fetch(`${url}/api/patients/`)).status).toBe(401);
    // A viewer may not make connect codes: the contract's permission, as 403.
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username: 'vic', password: PASSWORD, role: 'viewer' },
        admin,
      ),
    );
    const viewer = await accessToken('vic');
    expect((await postJson('/api/patients/create-connect-token', {}, viewer)).status).toBe(403);
  });
});
