import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The seed documents' example requests replayed against a real `serve` (real SQLite, real
 * uploads, real jobs with the bright-spot test model), checking the field names and types the
 * seeds show. Where a seed's example cannot work as written (the Brain Tumor Detection seed's
 * admin/admin), the test says so.
 */
let ctx: SpotScanServer;
let url: string;
const bearer = (token = ctx.token) => ({ Authorization: `Bearer ${token}` });

let pictures = 0;
/** A new picture each call (identical bytes would be imported once, as a duplicate). */
function spotPng(): Blob {
  const background = 40 + (pictures++ % 30);
  return new Blob(
    [makePng(32, 32, (x, y) => (x >= 4 && x < 12 && y >= 20 && y < 28 ? 240 : background))],
    {
      type: 'image/png',
    },
  );
}

beforeAll(async () => {
  ctx = await startServerWithSpotScan('spot.png');
  url = ctx.server.url;
  await analyseWithBrightSpot(ctx.server, ctx.token, ctx.scanId);
}, 60_000);
afterAll(async () => {
  await ctx.cleanup();
});

describe('Neurosphere seed', () => {
  it('GET /api/auth/validate', async () => {
    const response = await fetch(`${url}/api/auth/validate`, { headers: bearer() });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expectShape(body, { isAuthenticated: 'boolean', userId: 'string', permissions: 'array' });
    expect(body['permissions']).toContain('scans.read');
    const anonymous = await fetch(`${url}/api/auth/validate`);
    expect(anonymous.status).toBe(401);
    expectShape((await jsonOf(anonymous))['error'], { code: 'string', message: 'string' });
  });

  it('POST /api/scans/upload (multipart file + metadata), then detail and status', async () => {
    const form = new FormData();
    form.append('file', spotPng(), 'upload.png');
    form.append('metadata', JSON.stringify({ note: 'from the seed example' }));
    const response = await fetch(`${url}/api/scans/upload`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    const body = await jsonOf(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    expectShape(body, {
      scanId: 'string',
      status: 'string',
      createdAt: 'string',
      estimatedCompletionTime: 'string|null',
    });

    const scanId = body['scanId'] as string;
    const detail = await jsonOf(await fetch(`${url}/api/scans/${scanId}`, { headers: bearer() }));
    expectShape(detail, {
      id: 'string',
      date: 'string',
      status: 'string',
      tumorDetected: 'boolean|null',
      location: 'string|null',
      size: 'string|null',
      notes: 'string',
      visualizationUrl: 'string|null',
      originalImageUrl: 'string|null',
      doctor: 'string|null',
      createdAt: 'string',
      updatedAt: 'string',
    });
    const status = await fetch(`${url}/api/scans/${scanId}/status`, { headers: bearer() });
    expect(status.status).toBe(200);
    expectShape(await jsonOf(status), {
      id: 'string',
      status: 'string',
      progress: 'number',
      stage: 'string|null',
      estimatedTimeRemaining: 'number|null',
    });
  });

  it("GET /api/scans?status=completed&page=1&limit=10 with the analysed scan's finding", async () => {
    const response = await fetch(`${url}/api/scans?status=completed&page=1&limit=10`, {
      headers: bearer(),
    });
    const body = await jsonOf(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expectShape(body, { scans: 'array', total: 'number', page: 'number', totalPages: 'number' });
    const scans = body['scans'] as Array<Record<string, unknown>>;
    const analysed = scans.find((scan) => scan['id'] === ctx.scanId);
    expectShape(
      analysed,
      { id: 'string', date: 'string', status: 'string', tumorDetected: 'boolean' },
      'scans[]',
    );
    expect(analysed?.['tumorDetected']).toBe(true);
    expect(analysed?.['size']).toEqual(expect.any(String));
    const bad = await fetch(`${url}/api/scans?status=finished`, { headers: bearer() });
    expect(bad.status).toBe(400);
    const badPage = await fetch(`${url}/api/scans?page=zero`, { headers: bearer() });
    expect(badPage.status).toBe(400);
  });

  it('answers 404 for an unknown scan and visualization, 409 for a 3D scene of a 2D picture', async () => {
    const missing = await fetch(`${url}/api/scans/00000000-0000-4000-8000-000000000000`, {
      headers: bearer(),
    });
    expect(missing.status).toBe(404);
    const visualize = await fetch(`${url}/api/scans/${ctx.scanId}/visualize`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ quality: 'high', highlightTumor: true, colorScheme: 'standard' }),
    });
    // The spot scan is one PNG: a 3D scene needs a volume (rest-visualizations.test.ts has one).
    expect(visualize.status).toBe(409);
    expect(((await jsonOf(visualize))['error'] as { message: string }).message).toMatch(
      /needs a volume/,
    );
    expect((await fetch(`${url}/api/visualizations/viz_456`, { headers: bearer() })).status).toBe(
      404,
    );
  });

  it('GET /api/users/stats', async () => {
    const body = await jsonOf(await fetch(`${url}/api/users/stats`, { headers: bearer() }));
    expectShape(body, {
      totalScans: 'number',
      scansThisMonth: 'number',
      tumorsDetected: 'number',
      tumorPercentage: 'number',
      lastScanDate: 'string',
      lastScanDaysAgo: 'number',
    });
  });
});

describe('Brain Tumor Detection seed', () => {
  it('POST /api/admin/login: admin/admin is refused (no default password), a real account works', async () => {
    const login = (password: string) =>
      fetch(`${url}/api/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
    const refused = await login('admin');
    expect(refused.status).toBe(401);
    expectShape(await jsonOf(refused), { success: 'boolean', error: 'string', code: 'string' });
    const ok = await login('correct horse battery');
    expect(ok.status).toBe(200);
    expectShape(await jsonOf(ok), { success: 'boolean', token: 'string', user: 'object' });
  });

  it('patients: create, list, get, scans, reports; upload with patient_id; report generate and download', async () => {
    const json = { ...bearer(), 'Content-Type': 'application/json' };
    const created = await fetch(`${url}/api/admin/patients`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'Ada Lovelace', patient_id: 'P-1', gender: 'F' }),
    });
    const createdBody = await jsonOf(created);
    expect(created.status, JSON.stringify(createdBody)).toBe(201);
    const patient = createdBody['patient'] as Record<string, unknown>;
    expectShape(
      patient,
      {
        id: 'string',
        patient_id: 'string',
        name: 'string',
        gender: 'string',
        created_at: 'string',
      },
      'patient',
    );

    const unknownField = await fetch(`${url}/api/admin/patients`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'X', email: 'x@example.com' }),
    });
    expect(unknownField.status).toBe(400);
    expect(await jsonOf(unknownField)).toMatchObject({
      success: false,
      code: 'INVALID_INPUT',
      error: expect.stringContaining('email'),
    });
    const noName = await fetch(`${url}/api/admin/patients`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ gender: 'F' }),
    });
    expect(noName.status).toBe(400);
    expectShape(await jsonOf(noName), {
      success: 'boolean',
      error: 'string',
      code: 'string',
      details: 'string',
    });

    const list = await jsonOf(await fetch(`${url}/api/admin/patients`, { headers: bearer() }));
    expectShape(list, { success: 'boolean', patients: 'array' });
    const one = await fetch(`${url}/api/admin/patients/${patient['id'] as string}`, {
      headers: bearer(),
    });
    expect(one.status).toBe(200);

    const form = new FormData();
    form.append('patient_id', patient['id'] as string);
    form.append('files', spotPng(), 'patient-scan.png');
    const upload = await fetch(`${url}/api/admin/scans/upload`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    const uploaded = await jsonOf(upload);
    expect(upload.status, JSON.stringify(uploaded)).toBe(201);
    const scan = (uploaded['scans'] as Array<Record<string, unknown>>)[0];
    expectShape(
      scan,
      {
        id: 'string',
        scan_id: 'string',
        patient_id: 'string',
        prediction: 'string|null',
        confidence: 'number|null',
        created_at: 'string',
      },
      'scan',
    );
    await analyseWithBrightSpot(ctx.server, ctx.token, scan?.['id'] as string);

    const scans = await jsonOf(
      await fetch(`${url}/api/admin/patients/${patient['id'] as string}/scans`, {
        headers: bearer(),
      }),
    );
    expect((scans['scans'] as Array<Record<string, unknown>>)[0]?.['prediction']).toBe('tumor');

    const generate = await fetch(`${url}/api/report/generate`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ scan_id: scan?.['id'] }),
    });
    const report = (await jsonOf(generate))['report'] as Record<string, unknown>;
    expect(generate.status).toBe(201);
    expectShape(
      report,
      { report_id: 'string', patient_id: 'string', download_url: 'string', created_at: 'string' },
      'report',
    );
    const reports = await jsonOf(
      await fetch(`${url}/api/admin/patients/${patient['id'] as string}/reports`, {
        headers: bearer(),
      }),
    );
    expect(reports['reports']).toHaveLength(1);

    const pdf = await fetch(`${url}${report['download_url'] as string}`, { headers: bearer() });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const missing = await fetch(`${url}/api/report/download/00000000-0000-4000-8000-000000000000`, {
      headers: bearer(),
    });
    expect(missing.status).toBe(404);
    expect(await jsonOf(missing)).toMatchObject({ success: false, code: 'NOT_FOUND' });

    // GET /api/report/download-by-filename/{filename}, then the seed's
    // `curl http://localhost:5000/api/report/file/[filename].pdf`.
    const fileName = `${report['report_id'] as string}.pdf`;
    const located = await fetch(`${url}/api/report/download-by-filename/${fileName}`, {
      headers: bearer(),
    });
    const where = await jsonOf(located);
    expect(located.status, JSON.stringify(where)).toBe(200);
    expect(where).toEqual({ success: true, download_url: `/api/report/file/${fileName}` });
    const file = await fetch(`${url}${where['download_url'] as string}`, { headers: bearer() });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    for (const path of [
      '/api/report/file/monthly.pdf',
      '/api/report/download-by-filename/00000000-0000-4000-8000-000000000000.pdf',
    ]) {
      const none = await fetch(`${url}${path}`, { headers: bearer() });
      expect(none.status, path).toBe(404);
      expectShape(await jsonOf(none), { success: 'boolean', error: 'string', code: 'string' });
    }
    expect((await fetch(`${url}/api/report/file/${fileName}`)).status).toBe(401);
  });

  it('POST /api/scan/upload (patient_id + file) answers the scan; it needs a token', async () => {
    const patient = valueOf<{ id: string }>(
      await rpc(ctx.server, 'patients.create', { name: 'Public Upload' }, ctx.token),
    );
    const form = () => {
      const data = new FormData();
      data.append('patient_id', patient.id);
      data.append('file', spotPng(), 'public.png');
      return data;
    };
    const anonymous = await fetch(`${url}/api/scan/upload`, { method: 'POST', body: form() });
    expect(anonymous.status).toBe(401);
    expect(await jsonOf(anonymous)).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
    const upload = await fetch(`${url}/api/scan/upload`, {
      method: 'POST',
      headers: bearer(),
      body: form(),
    });
    const body = await jsonOf(upload);
    expect(upload.status, JSON.stringify(body)).toBe(201);
    expect(body['success']).toBe(true);
    expectShape(
      body['scan'],
      {
        id: 'string',
        scan_id: 'string',
        patient_id: 'string',
        status: 'string',
        prediction: 'string|null',
        confidence: 'number|null',
        created_at: 'string',
      },
      'scan',
    );
    expect((body['scan'] as Record<string, unknown>)['patient_id']).toBe(patient.id);
  });

  it('refuses an upload that is not multipart with 415', async () => {
    const response = await fetch(`${url}/api/admin/scans/upload`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(415);
  });
});

describe('Medical Imaging AI seed', () => {
  it('GET /api/v1/health and /health/detailed', async () => {
    expectShape(await jsonOf(await fetch(`${url}/api/v1/health`)), {
      status: 'string',
      timestamp: 'string',
      version: 'string',
      uptime: 'number',
    });
    const detailed = await jsonOf(
      await fetch(`${url}/api/v1/health/detailed`, { headers: bearer() }),
    );
    expectShape(detailed, {
      timestamp: 'string',
      version: 'string',
      uptime: 'number',
      components: 'object',
      overall_status: 'string',
    });
    const components = detailed['components'] as Record<string, unknown>;
    expectShape(
      components['database'],
      { status: 'string', response_time_ms: 'number' },
      'database',
    );
    expectShape(
      components['model_service'],
      { status: 'string', loaded_models: 'number', models: 'array' },
      'model_service',
    );
    expectShape(
      components['job_queue'],
      { pending: 'number', processing: 'number', completed: 'number', failed: 'number' },
      'job_queue',
    );
  });

  it('curl -F file=@brain_scan -F model_id=brain_segmentation: the job fails, saying the model is not installed', async () => {
    const form = new FormData();
    form.append('file', spotPng(), 'brain_scan.png');
    form.append('model_id', 'brain_segmentation');
    form.append('user_id', 'user123');
    const response = await fetch(`${url}/api/v1/upload`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    const body = await jsonOf(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    expectShape(body, {
      job_id: 'string',
      status: 'string',
      message: 'string',
      estimated_processing_time: 'number|null',
    });
    await ctx.server.core.jobs.whenFinished(body['job_id'] as string, 50);
    const job = await jsonOf(
      await fetch(`${url}/api/v1/upload/jobs/${body['job_id'] as string}`, { headers: bearer() }),
    );
    expectShape(job, {
      job_id: 'string',
      status: 'string',
      progress: 'number',
      created_at: 'string',
      updated_at: 'string',
      completed_at: 'string|null',
      error_message: 'string|null',
    });
    expect(job['status']).toBe('failed');
    expect(job['error_message']).toMatch(/brain_segmentation/);
  });

  it('upload with an installed model, list jobs, and read the complete processing result', async () => {
    const form = new FormData();
    form.append('file', spotPng(), 'second.png');
    form.append('model_id', 'bright-spot');
    const body = await jsonOf(
      await fetch(`${url}/api/v1/upload`, { method: 'POST', headers: bearer(), body: form }),
    );
    const jobId = body['job_id'] as string;
    await ctx.server.core.jobs.whenFinished(jobId, 50);
    const jobs = await fetch(`${url}/api/v1/upload/jobs?limit=5&offset=0`, { headers: bearer() });
    const list = (await jobs.json()) as unknown[];
    expect(Array.isArray(list)).toBe(true);
    expectShape(list[0], { job_id: 'string', status: 'string', created_at: 'string' }, 'jobs[0]');
    expect(
      (await fetch(`${url}/api/v1/upload/jobs?limit=5&offset=3`, { headers: bearer() })).status,
    ).toBe(422);

    const result = await jsonOf(
      await fetch(`${url}/api/v1/results/${jobId}`, { headers: bearer() }),
    );
    expectShape(result, {
      job_id: 'string',
      status: 'string',
      model_used: 'string',
      processing_time_seconds: 'number',
      created_at: 'string',
      completed_at: 'string',
      detections: 'array',
      summary: 'object',
      overall_confidence: 'number|null',
      image_quality_score: 'number|null',
      input_metadata: 'object',
      processing_metadata: 'object',
    });
    const detection = (result['detections'] as unknown[])[0];
    expectShape(
      detection,
      {
        detection_id: 'string',
        class_name: 'string',
        bounding_box: 'object',
        segmentation_mask: 'object',
        metrics: 'object',
      },
      'detection',
    );
    const missing = await fetch(`${url}/api/v1/upload/jobs/not-a-uuid`, { headers: bearer() });
    expect(missing.status).toBe(422);
    expectShape(await jsonOf(missing), {
      error: 'string',
      message: 'string',
      details: 'object',
      timestamp: 'string',
    });
  });
});

describe('doctor/patient seed', () => {
  it('login (form data), refresh token, users/me, task status and cancel', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin', password: 'correct horse battery' }),
    });
    const tokens = (await jsonOf(login))['data'] as Record<string, unknown>;
    expect(login.status).toBe(200);
    expectShape(
      tokens,
      { access_token: 'string', refresh_token: 'string', token_type: 'string' },
      'data',
    );

    const refresh = await fetch(`${url}/api/auth/refresh-token`, {
      method: 'POST',
      headers: bearer(tokens['refresh_token'] as string),
    });
    const refreshed = (await jsonOf(refresh))['data'] as Record<string, unknown>;
    expect(refresh.status).toBe(200);
    expectShape(refreshed, { access_token: 'string', token_type: 'string' }, 'data');

    const me = await jsonOf(
      await fetch(`${url}/api/users/me`, { headers: bearer(refreshed['access_token'] as string) }),
    );
    expectShape(
      me['data'],
      {
        id: 'string',
        is_active: 'boolean',
        is_superuser: 'boolean',
        role: 'string',
        created_at: 'string',
      },
      'data',
    );

    const jobs = await jsonOf(
      await fetch(`${url}/api/v1/upload/jobs?limit=1`, { headers: bearer() }),
    );
    const taskId = (jobs as unknown as Array<{ job_id: string }>)[0]?.job_id as string;
    const status = await jsonOf(
      await fetch(`${url}/api/tasks/status/${taskId}`, { headers: bearer() }),
    );
    expectShape(
      status['data'],
      {
        task_id: 'string',
        status: 'string',
        progress: 'number',
        result: 'object|null' as 'object',
      },
      'data',
    );
    const cancel = await fetch(`${url}/api/tasks/cancel/${taskId}`, {
      method: 'POST',
      headers: bearer(),
    });
    expect(cancel.status).toBe(409);
    expect(await jsonOf(cancel)).toMatchObject({ success: false, error: { code: 'CONFLICT' } });

    const wrong = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    const incomplete = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin' }),
    });
    expect(incomplete.status).toBe(422);
  });
});

describe('doctor/patient seed: patients and scans', () => {
  it('PUT /api/patients/{patient_user_id} with name, gender, diagnosis', async () => {
    const patient = valueOf<{ id: string }>(
      await rpc(
        ctx.server,
        'patients.create',
        { name: 'Jane Doe', birthDate: '1989-01-01' },
        ctx.token,
      ),
    );
    const json = { ...bearer(), 'Content-Type': 'application/json' };
    const put = (body: unknown, id = patient.id) =>
      fetch(`${url}/api/patients/${id}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(body),
      });
    const updated = await put({
      name: 'Jane Doe',
      gender: 'FEMALE',
      diagnosis: 'Updated diagnosis',
    });
    const body = await jsonOf(updated);
    expect(updated.status, JSON.stringify(body)).toBe(200);
    expect(body['success']).toBe(true);
    expect(body['data']).toMatchObject({
      id: patient.id,
      name: 'Jane Doe',
      gender: 'FEMALE',
      diagnosis: 'Updated diagnosis',
      birth_date: '1989-01-01',
    });
    expectShape(body['data'], { age: 'number' }, 'data');
    expect(
      valueOf<{ sex: string; notes: string }>(
        await rpc(ctx.server, 'patients.get', { id: patient.id }, ctx.token),
      ),
    ).toMatchObject({ sex: 'F', notes: 'Updated diagnosis' });

    const withAge = await put({ name: 'Jane Doe', age: 36 });
    expect(withAge.status).toBe(422);
    expect(await jsonOf(withAge)).toMatchObject({
      success: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('birth_date') },
    });
    expect((await put({ gender: 'sometimes' })).status).toBe(422);
    const missing = await put({ name: 'X' }, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(await jsonOf(missing)).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('POST /api/doctor-patient/scans/ (file) answers scan_id and task_token; GET the scan', async () => {
    const form = new FormData();
    form.append('file', spotPng(), 'dp-scan.png');
    const upload = await fetch(`${url}/api/doctor-patient/scans/`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    const uploaded = await jsonOf(upload);
    expect(upload.status, JSON.stringify(uploaded)).toBe(200);
    expect(uploaded['success']).toBe(true);
    const data = uploaded['data'] as Record<string, unknown>;
    expectShape(data, { scan_id: 'string', task_token: 'string' }, 'data');
    const task = await fetch(`${url}/api/tasks/status/${data['task_token'] as string}`, {
      headers: bearer(),
    });
    expect(task.status).toBe(200);

    const detail = await fetch(`${url}/api/doctor-patient/scans/${ctx.scanId}`, {
      headers: bearer(),
    });
    const scan = await jsonOf(detail);
    expect(detail.status, JSON.stringify(scan)).toBe(200);
    expectShape(
      scan['data'],
      {
        id: 'string',
        patient_id: 'string|null',
        scan_type: 'string|null',
        status: 'string',
        result: 'object',
        created_at: 'string',
        completed_at: 'string',
      },
      'data',
    );
    expect(scan['data']).toMatchObject({
      id: ctx.scanId,
      status: 'COMPLETED',
      result: { pathologies: ['tumour'], confidence: expect.any(Number) },
    });
    const none = await fetch(
      `${url}/api/doctor-patient/scans/00000000-0000-4000-8000-000000000000`,
      {
        headers: bearer(),
      },
    );
    expect(none.status).toBe(404);
    expect(await jsonOf(none)).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    // The Neurosphere seed keeps its own /api/scans/{scanId}.
    expectShape(
      await jsonOf(await fetch(`${url}/api/scans/${ctx.scanId}`, { headers: bearer() })),
      { id: 'string', tumorDetected: 'boolean|null' },
    );
  });
});

describe("one source of truth: the contract's permissions and audit", () => {
  it("refuses a viewer's upload with 403 (the contract's permission) and audits a REST read like an RPC read", async () => {
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username: 'vic', password: 'viewer password', role: 'viewer' },
        ctx.token,
      ),
    );
    const viewer = valueOf<{ token: string }>(
      await rpc(ctx.server, 'auth.login', { username: 'vic', password: 'viewer password' }),
    ).token;
    const form = new FormData();
    form.append('file', spotPng(), 'viewer.png');
    const upload = await fetch(`${url}/api/v1/upload`, {
      method: 'POST',
      headers: bearer(viewer),
      body: form,
    });
    expect(upload.status).toBe(403);
    expect(await jsonOf(upload)).toMatchObject({
      error: 'Forbidden',
      details: { code: 'PERMISSION_DENIED', permission: 'import.run' },
    });
    expect((await fetch(`${url}/api/scans?limit=1`, { headers: bearer(viewer) })).status).toBe(200);

    const count = (): number =>
      (
        ctx.server.core.db
          .prepare(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'scans.read' AND actor = 'vic' AND target = ?",
          )
          .get(ctx.scanId) as { n: number }
      ).n;
    ctx.server.core.audit.flushReads();
    const before = count();
    expect(
      (await fetch(`${url}/api/scans/${ctx.scanId}`, { headers: bearer(viewer) })).status,
    ).toBe(200);
    // A GET's row is committed with the other reads of the next few milliseconds.
    await expect.poll(count, { timeout: 2000, interval: 5 }).toBe(before + 1);
    // One row for the request: the detail's other reads are named in it, not rows of their own.
    const row = ctx.server.core.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'scans.read' AND actor = 'vic' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { details: string };
    expect(JSON.parse(row.details)['also']).toEqual(
      expect.arrayContaining([{ action: 'analysis.read', target: ctx.scanId }]),
    );
    expect(ctx.server.core.audit.verify().ok).toBe(true);
  });
});

describe('doctor/patient seed: task WebSocket', () => {
  it('sends {task_id, status, progress, message} for the task_ids named until the task completes', async () => {
    const job = valueOf<{ id: string }>(
      await rpc(
        ctx.server,
        'analysis.start',
        { scanId: ctx.scanId, segmentationModel: 'bright-spot', classificationModel: null },
        ctx.token,
      ),
    );
    const socketUrl = `${url.replace('http', 'ws')}/api/tasks/status/ws?token=${ctx.token}&task_ids=${job.id}`;
    const messages = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const received: Array<Record<string, unknown>> = [];
      const socket = new WebSocket(socketUrl);
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        received.push(message);
        if (message['status'] === 'COMPLETED') {
          socket.close();
          resolve(received);
        }
      });
      socket.on('error', reject);
      setTimeout(
        () => reject(new Error(`no COMPLETED in ${JSON.stringify(received)}`)),
        20_000,
      ).unref();
    });
    for (const message of messages)
      expectShape(
        message,
        { task_id: 'string', status: 'string', progress: 'number', message: 'string' },
        'message',
      );
    expect(messages.at(-1)).toMatchObject({ task_id: job.id, status: 'COMPLETED', progress: 100 });

    const refused = (query: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/api/tasks/status/ws?${query}`);
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await refused(`token=nonsense&task_ids=${job.id}`)).toBe(401);
    expect(await refused(`token=${ctx.token}&task_ids=../../etc`)).toBe(400);
  }, 30_000);
});
