import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

let ctx: TestServer;
let adminToken: string;

beforeAll(async () => {
  ctx = await startTestServer();
  adminToken = await setUpAdmin(ctx.server);
});
afterAll(async () => {
  await ctx.cleanup();
});

function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(`${ctx.server.url}${path}`, { method: 'POST', headers, body });
}

describe('serve: health and contract listing', () => {
  it('answers /api/health without a token', async () => {
    const response = await fetch(`${ctx.server.url}/api/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'healthy',
      database: { status: 'ok' },
      version: expect.any(String),
    });
    expect(health['uptime']).toEqual(expect.any(Number));
  });

  it('lists the contract at /api/methods', async () => {
    const response = await fetch(`${ctx.server.url}/api/methods`);
    const listing = (await response.json()) as {
      methods: Array<{ name: string; access: string; summary: string }>;
      events: string[];
    };
    expect(listing.methods).toContainEqual({
      name: 'scans.list',
      access: 'scans.read',
      summary: expect.any(String),
    });
    expect(listing.events).toContain('jobs.updated');
  });
});

describe('serve: RPC', () => {
  it('refuses a call without a token with 401 UNAUTHENTICATED', async () => {
    const response = await rpc(ctx.server, 'scans.list');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('logs in and lists scans with the token', async () => {
    const login = await rpc(ctx.server, 'auth.login', {
      username: 'admin',
      password: 'correct horse battery',
    });
    expect(login.status).toBe(200);
    const { token } = valueOf<{ token: string }>(login);
    const scans = await rpc(ctx.server, 'scans.list', {}, token);
    expect(scans.status).toBe(200);
    expect(scans.body).toEqual({
      ok: true,
      value: { items: [], total: 0, page: 1, limit: 50, totalPages: 1 },
    });
  });

  it('answers invalid input with 400 INVALID_INPUT', async () => {
    const response = await rpc(ctx.server, 'scans.list', { page: 'first' }, adminToken);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers an unknown method with 404', async () => {
    const response = await rpc(ctx.server, 'scans.explode', {}, adminToken);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ search: 'x'.repeat(1024 * 1024 + 10) });
    const response = await post('/api/rpc/scans.list', big, {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${adminToken}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
  });

  it('refuses malformed JSON (400), another content type (415) and GET (405)', async () => {
    const headers = { Authorization: `Bearer ${adminToken}` };
    const malformed = await post('/api/rpc/scans.list', '{"page":', {
      ...headers,
      'Content-Type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });

    const form = await post('/api/rpc/scans.list', 'page=1', {
      ...headers,
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });

    const get = await fetch(`${ctx.server.url}/api/rpc/scans.list`, { headers });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it("refuses a viewer's import with 403 PERMISSION_DENIED", async () => {
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username: 'vera', password: 'viewer password', role: 'viewer' },
        adminToken,
      ),
    );
    const { token } = valueOf<{ token: string }>(
      await rpc(ctx.server, 'auth.login', { username: 'vera', password: 'viewer password' }),
    );
    const response = await rpc(ctx.server, 'import.files', { paths: [ctx.root] }, token);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
  });

  it('answers errors as data without stack traces', async () => {
    const response = await rpc(ctx.server, 'scans.get', { id: crypto.randomUUID() }, adminToken);
    expect(response.status).toBe(404);
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
    expect(text).not.toContain('stack');
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${ctx.server.url}/api/health`,
        { headers: { Host: 'attacker.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers unknown API paths with JSON 404, not the app', async () => {
    const response = await fetch(`${ctx.server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
