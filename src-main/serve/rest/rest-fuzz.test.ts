import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  setUpAdmin,
  startTestServer,
  rpc,
  valueOf,
  type TestServer,
} from '../testing/test-server.js';
import { REST_ROUTES } from './route-table.js';
import type { RestRoute } from './rest-types.js';

/**
 * Malformed requests against every REST route: no token, a bad token, a viewer's token, path
 * params that are not ids (traversal, huge, odd characters), junk query values, invalid and
 * deeply nested JSON, wrong content types, empty and truncated multipart bodies, wrong verbs.
 * Every answer must be a clear 4xx (or a success): never a 5xx, never a stack trace.
 */
let ctx: TestServer;
let adminToken: string;
let viewerToken: string;

beforeAll(async () => {
  ctx = await startTestServer({ rest: { rateLimitPerMinute: 1_000_000 } });
  adminToken = await setUpAdmin(ctx.server);
  valueOf(
    await rpc(
      ctx.server,
      'users.create',
      { username: 'vera', password: 'viewer password', role: 'viewer' },
      adminToken,
    ),
  );
  viewerToken = valueOf<{ token: string }>(
    await rpc(ctx.server, 'auth.login', { username: 'vera', password: 'viewer password' }),
  ).token;
});
afterAll(async () => {
  await ctx.cleanup();
});

const BAD_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(5000),
  '%00',
  '1',
  '%E2%80%AE',
  "'%20OR%201=1",
];

function pathWith(route: RestRoute, value: string): string {
  return route.path.replace(/\{[A-Za-z_]+\}/g, value);
}

interface Attempt {
  what: string;
  path: string;
  init: RequestInit;
}

function attempts(route: RestRoute): Attempt[] {
  const path = pathWith(route, '00000000-0000-4000-8000-000000000000');
  const admin = { Authorization: `Bearer ${adminToken}` };
  const list: Attempt[] = [
    { what: 'no token', path, init: { method: route.verb } },
    {
      what: 'bad token',
      path,
      init: { method: route.verb, headers: { Authorization: 'Bearer nonsense' } },
    },
    {
      what: 'malformed header',
      path,
      init: { method: route.verb, headers: { Authorization: 'Basic Zm9vOmJhcg==' } },
    },
    {
      what: "viewer's token",
      path,
      init: { method: route.verb, headers: { Authorization: `Bearer ${viewerToken}` } },
    },
    {
      what: 'wrong verb',
      path,
      init: { method: route.verb === 'GET' ? 'PUT' : 'GET', headers: admin },
    },
    {
      what: 'junk query',
      path: `${path}?page=-1&limit=1e9&status=%00&offset=x&timeZone=Mars%2FOlympus`,
      init: { method: route.verb, headers: admin },
    },
    {
      what: 'repeated query',
      path: `${path}?page=1&page=2&limit=10&limit=x`,
      init: { method: route.verb, headers: admin },
    },
  ];
  if (route.path.includes('{'))
    for (const id of BAD_IDS)
      list.push({
        what: `path param ${id.slice(0, 20)}`,
        path: pathWith(route, id),
        init: { method: route.verb, headers: admin },
      });
  if (route.verb !== 'GET') {
    const post = (what: string, body: RequestInit['body'], type?: string): Attempt => ({
      what,
      path,
      init: {
        method: route.verb,
        headers: { ...admin, ...(type !== undefined && { 'Content-Type': type }) },
        body,
      },
    });
    let nested = '1';
    for (let i = 0; i < 5000; i++) nested = `{"a":${nested}}`;
    list.push(
      post('invalid JSON', '{"username": ', 'application/json'),
      post('JSON array', '[1,2,3]', 'application/json'),
      post('JSON null', 'null', 'application/json'),
      post('deeply nested JSON', nested, 'application/json'),
      post(
        'wrong types',
        JSON.stringify({ username: 1, password: [], name: {}, scan_id: 7, email: null }),
        'application/json',
      ),
      post('huge JSON', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), 'application/json'),
      post('text body', 'hello', 'text/plain'),
      post('empty multipart', '', 'multipart/form-data; boundary=xyz'),
      post(
        'truncated multipart',
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
        'multipart/form-data; boundary=xyz',
      ),
      post('multipart without boundary', 'abc', 'multipart/form-data'),
    );
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3, 4])]), '../../../escape.png');
    form.append('metadata', '{not json');
    form.append('patient_id', '../../x');
    form.append('model_id', '../../../etc/passwd');
    list.push({
      what: 'hostile multipart',
      path,
      init: { method: route.verb, headers: admin, body: form },
    });
  }
  return list;
}

describe('REST fuzzer: malformed requests to every route', () => {
  for (const route of REST_ROUTES) {
    it(`${route.verb} ${route.path} answers every malformed request with a clear 4xx, never a 5xx`, async () => {
      for (const attempt of attempts(route)) {
        const response = await fetch(`${ctx.server.url}${attempt.path}`, attempt.init);
        const text = await response.text();
        const where = `${attempt.what}: ${response.status} ${text.slice(0, 200)}`;
        expect(response.status, where).toBeLessThan(500);
        expect(text, where).not.toMatch(/\n\s+at .+:\d+:\d+/);
        if (
          response.status >= 400 &&
          response.headers.get('content-type')?.includes('json') === true
        ) {
          // Every refusal says what is wrong.
          expect(text, where).toMatch(/"message"|"error"/);
        }
      }
    }, 60_000);
  }
});
