import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../core/platform/logger.js';
import { TEST_KDF } from '../../core/auth/password-hasher.js';
import { collect, ensureBuilt, spawnCli, waitForLine } from '../../cli/testing/run-cli.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from '../testing/test-server.js';
import { REST_ROUTES } from './route-table.js';
import { jsonOf } from './testing/rest-expect.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('REST rate limit (default 100 requests a minute per user)', () => {
  let ctx: TestServer;
  let token: string;
  beforeAll(async () => {
    ctx = await startTestServer();
    token = await setUpAdmin(ctx.server);
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('answers 150 requests in a minute with 100 successes, then 429 with Retry-After; other users are not held up', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 150; i++) {
      const response = await fetch(`${ctx.server.url}/api/users/stats`, { headers: bearer(token) });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter ??= response.headers.get('retry-after');
        expect(await jsonOf(response)).toMatchObject({
          error: { message: expect.stringMatching(/Too many requests/) },
        });
      } else await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // The app's own RPC is not limited (the viewer reads many frames a second).
    const rpc = await fetch(`${ctx.server.url}/api/rpc/auth.whoami`, {
      method: 'POST',
      headers: bearer(token),
    });
    expect(rpc.status).toBe(200);
    // Another caller (here: no token, counted by address) has its own allowance.
    expect((await fetch(`${ctx.server.url}/api/v1/health`)).status).toBe(200);
  });
});

describe('REST limits: body limit, CORS, refresh-token expiry', () => {
  let ctx: TestServer;
  let token: string;
  beforeAll(async () => {
    ctx = await startTestServer({
      core: { kdf: TEST_KDF, logger: memoryLogger(), refreshTokenLifetimeSeconds: 1 },
      rest: { corsOrigins: ['https://clinic.example'], maxUploadBytes: 64 * 1024 },
    });
    token = await setUpAdmin(ctx.server);
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('refuses a refresh token once its configured lifetime (1 s) has passed', async () => {
    const login = await fetch(`${ctx.server.url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin', password: 'correct horse battery' }),
    });
    const { refresh_token: refreshToken } = (await jsonOf(login))['data'] as {
      refresh_token: string;
    };
    const refresh = () =>
      fetch(`${ctx.server.url}/api/auth/refresh-token`, {
        method: 'POST',
        headers: bearer(refreshToken),
      });
    expect((await refresh()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const expired = await refresh();
    expect(expired.status).toBe(401);
    expect(await jsonOf(expired)).toMatchObject({
      success: false,
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/expired/) },
    });
    // An access token is not a refresh token.
    expect(
      (
        await fetch(`${ctx.server.url}/api/auth/refresh-token`, {
          method: 'POST',
          headers: bearer(token),
        })
      ).status,
    ).toBe(401);
  });

  it("refuses a disabled account's refresh token", async () => {
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username: 'dora', password: 'doctor password', role: 'radiologist' },
        token,
      ),
    );
    const login = await fetch(`${ctx.server.url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'dora', password: 'doctor password' }),
    });
    const { refresh_token: refreshToken } = (await jsonOf(login))['data'] as {
      refresh_token: string;
    };
    const users = valueOf<Array<{ id: string; username: string }>>(
      await rpc(ctx.server, 'users.list', {}, token),
    );
    const dora = users.find((user) => user.username === 'dora');
    valueOf(await rpc(ctx.server, 'users.update', { id: dora?.id, disabled: true }, token));
    const refused = await fetch(`${ctx.server.url}/api/auth/refresh-token`, {
      method: 'POST',
      headers: bearer(refreshToken),
    });
    expect(refused.status).toBe(401);
    expect(await jsonOf(refused)).toMatchObject({
      error: { message: expect.stringMatching(/no longer active/) },
    });
  });

  it('refuses an upload over the body limit with 413', async () => {
    const other = await fetch(`${ctx.server.url}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin', password: 'correct horse battery' }),
    });
    const { access_token: fresh } = (await jsonOf(other))['data'] as { access_token: string };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(200 * 1024)]), 'big.png');
    const response = await fetch(`${ctx.server.url}/api/v1/upload`, {
      method: 'POST',
      headers: bearer(fresh),
      body: form,
    });
    expect(response.status).toBe(413);
    expect(await jsonOf(response)).toMatchObject({
      error: 'Payload Too Large',
      details: { code: 'FILE_TOO_LARGE' },
    });
  });

  it('answers CORS only for origins on the allow-list', async () => {
    const preflight = (origin: string) =>
      fetch(`${ctx.server.url}/api/v1/health`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    const allowed = await preflight('https://clinic.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://clinic.example');
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(`${ctx.server.url}/api/v1/health`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 405 with Allow for a known path and the wrong verb', async () => {
    const response = await fetch(`${ctx.server.url}/api/users/stats`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe('OpenAPI document', () => {
  let ctx: TestServer;
  beforeAll(async () => {
    ctx = await startTestServer();
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('is valid OpenAPI 3.1 and lists every route of the table', async () => {
    const response = await fetch(`${ctx.server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = await jsonOf(response);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document['openapi']).toBe('3.1.0');
    const paths = document['paths'] as Record<string, Record<string, unknown>>;
    const listed = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(REST_ROUTES.map((route) => `${route.verb} ${route.path}`).sort());
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /api/scans/upload',
        'GET /api/v1/upload/jobs/{job_id}',
        'POST /api/auth/refresh-token',
      ]),
    );
  });

  it('matches the copy written to docs/openapi.json (regenerate with npm run openapi)', async () => {
    const served = await jsonOf(await fetch(`${ctx.server.url}/api/openapi.json`));
    const written = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../docs/openapi.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect({ ...written, info: { ...(written['info'] as object), version: '' } }).toEqual({
      ...served,
      info: { ...(served['info'] as object), version: '' },
    });
  });
});

describe('serve --tls-cert/--tls-key (real process, self-signed certificate from openssl)', () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'neurosphere-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
  }, 180_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the REST API over HTTPS with the given certificate', async () => {
    const child = spawnCli([
      'serve',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
    ]);
    const exited = collect(child);
    if (child.stdout === null) throw new Error('no stdout');
    const [, url] = await waitForLine(child.stdout, /serving (https:\/\/\S+) /);
    const ca = readFileSync(join(dir, 'cert.pem'));
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(`${url as string}/api/v1/health`, { ca }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'healthy' });
    // Without the certificate the client refuses the connection: it really is TLS.
    await expect(fetch(`${url as string}/api/v1/health`)).rejects.toThrow();
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }, 60_000);
});
