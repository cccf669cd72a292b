import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, methods } from '../../src-shared/contract/methods.js';
import { STREAM_NAMES, streams } from '../../src-shared/contract/streams.js';
import { ROLES } from '../../src-shared/roles.js';
import { MAX_RPC_BODY_BYTES } from './request-body.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

/**
 * A malformed-request fuzzer over every RPC method and stream of the contract, against a real
 * `serve` over HTTP. Methods and streams are enumerated from the contract, so new ones are
 * covered without editing this file. Seeded, with a bounded number of cases per entry: the same
 * requests every run, well under a minute on two cores.
 */

const SEED = 0x5eed_2026;
const RANDOM_BODIES_PER_METHOD = 10;
const RANDOM_QUERIES_PER_STREAM = 10;
const PASSWORD = 'a long enough password';

/** mulberry32: small, seedable, good enough to pick cases. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A nested JSON document as text (no recursion on this side): `{"a":[{"a":[…]}]}`. */
function nestedText(depth: number): string {
  return '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const TRAVERSALS = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/shadow',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '00000000-0000-4000-8000-000000000000/../../x',
  'file:///etc/passwd',
  '\u0000',
];

/** Values for any field: wrong types, edge numbers, huge and nested, traversal, valid-looking. */
const VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  2 ** 53 + 1,
  '',
  'x',
  'a'.repeat(100_000),
  '\uD800lone',
  [],
  [1, 'two', null],
  {},
  { __proto__: { admin: true } },
  { constructor: { prototype: { polluted: true } } },
  nested(500),
  '00000000-0000-4000-8000-000000000000',
  '2024-03-01T08:00:00.000Z',
  'admin',
  ['00000000-0000-4000-8000-000000000000'],
  ...TRAVERSALS,
  [TRAVERSALS[0]],
];

/** The top-level field names of an input schema (objects, or objects behind a pipe or default). */
function fieldsOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape as object);
  const def = (schema as unknown as { def?: { in?: z.ZodType; innerType?: z.ZodType } }).def;
  const inner = def?.in ?? def?.innerType;
  return inner === undefined ? [] : fieldsOf(inner);
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function randomBody(random: () => number, fields: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) if (random() < 0.8) body[field] = pick(random, VALUES);
  if (random() < 0.2) body['unexpected'] = pick(random, VALUES);
  return body;
}

interface Answer {
  status: number;
  text: string;
}

const STACK_TRACE =
  /^\s+at\s.+\(|node:internal|\.(ts|js):\d+:\d+|\bTypeError\b|\bReferenceError\b/m;

/** Every answer: no 5xx, no stack trace; a refusal is a JSON Result with a clear message. */
function expectClear(answer: Answer, what: string): void {
  expect(
    answer.status,
    `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`,
  ).toBeLessThan(500);
  expect(
    STACK_TRACE.test(answer.text),
    `${what} leaked a stack trace: ${answer.text.slice(0, 300)}`,
  ).toBe(false);
  if (answer.status < 400) return;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(
      `${what} answered ${answer.status} without a JSON body: ${answer.text.slice(0, 200)}`,
    );
  }
  const error = (body as { ok?: boolean; error?: { code?: unknown; message?: unknown } }).error;
  expect((body as { ok?: boolean }).ok, what).toBe(false);
  expect(typeof error?.code, what).toBe('string');
  expect(
    typeof error?.message === 'string' && error.message.length > 10,
    `${what}: no clear message`,
  ).toBe(true);
}

describe('malformed requests against a real serve (every method and stream)', () => {
  let ctx: TestServer;
  const tokens = new Map<string, string>();
  let requests = 0;

  async function send(
    path: string,
    init: RequestInit & { token?: string | undefined },
  ): Promise<Answer> {
    const { token, ...rest } = init;
    requests += 1;
    const response = await fetch(`${ctx.server.url}${path}`, {
      ...rest,
      headers: {
        ...(rest.headers as Record<string, string> | undefined),
        ...(token !== undefined && { Authorization: `Bearer ${token}` }),
      },
    });
    return { status: response.status, text: await response.text() };
  }

  const post = (method: string, body: string, token?: string): Promise<Answer> =>
    send(`/api/rpc/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      token,
    });

  /** Fresh sessions for the admin and one user of every role (a fuzzed call may end one). */
  async function logInAll(): Promise<void> {
    for (const username of tokens.keys()) {
      const session = valueOf<{ token: string }>(
        await rpc(ctx.server, 'auth.login', {
          username,
          password: username === 'admin' ? 'correct horse battery' : PASSWORD,
        }),
      );
      tokens.set(username, session.token);
    }
  }

  beforeAll(async () => {
    ctx = await startTestServer();
    const admin = await setUpAdmin(ctx.server);
    tokens.set('admin', admin);
    // A patient account must be linked to its patient record.
    const patient = valueOf<{ id: string }>(
      await rpc(ctx.server, 'patients.create', { name: 'Fuzz, Pat' }, admin),
    );
    for (const role of ROLES) {
      valueOf(
        await rpc(
          ctx.server,
          'users.create',
          {
            username: `fuzz-${role}`,
            password: PASSWORD,
            role,
            ...(role === 'patient' && { patientId: patient.id }),
          },
          admin,
        ),
      );
      tokens.set(`fuzz-${role}`, '');
    }
    await logInAll();
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('answers every RPC method with no 5xx and a clear 4xx for each refusal', async () => {
    const random = seeded(SEED);
    for (const method of METHOD_NAMES) {
      const admin = tokens.get('admin');
      const fields = fieldsOf(methods[method].input);
      const what = (c: string): string => `${method} (${c})`;
      expectClear(await post(method, '{"not json', admin), what('invalid JSON'));
      expectClear(await post(method, '', admin), what('empty body'));
      expectClear(await post(method, '{}'), what('no token'));
      expectClear(await post(method, '{}', 'not-a-real-token'), what('bad token'));
      expectClear(await post(method, '{}', `${admin ?? ''}x`), what('altered token'));
      for (const body of [[], 'text', 42, null, true])
        expectClear(
          await post(method, JSON.stringify(body), admin),
          what(`body ${JSON.stringify(body)}`),
        );
      expectClear(
        await post(method, JSON.stringify({ big: 'a'.repeat(MAX_RPC_BODY_BYTES) }), admin),
        what('huge body'),
      );
      expectClear(await post(method, nestedText(10_000), admin), what('deeply nested body'));
      for (const field of fields)
        for (const value of TRAVERSALS.slice(0, 3))
          expectClear(
            await post(method, JSON.stringify({ [field]: value }), admin),
            what(`${field} traversal`),
          );
      for (let i = 0; i < RANDOM_BODIES_PER_METHOD; i++) {
        const body = randomBody(random, fields);
        const token = pick(random, [...tokens.values()]);
        expectClear(await post(method, JSON.stringify(body), token), what(`random body ${i}`));
      }
      for (const [username, token] of tokens)
        expectClear(await post(method, '{}', token), what(`${username}'s token`));
      // Only these can end or change a session (log out, disable, change a role).
      if (method.startsWith('auth.') || method.startsWith('users.')) await logInAll();
    }
  }, 120_000);

  it('answers every stream with no 5xx and a clear 4xx for each refusal', async () => {
    const random = seeded(SEED + 1);
    await logInAll();
    for (const name of STREAM_NAMES) {
      const admin = tokens.get('admin');
      const spec = streams[name];
      const isUpload = spec.response.kind === 'upload';
      const verb = isUpload ? 'PUT' : 'GET';
      const fields = fieldsOf(spec.params);
      const url = (params: Record<string, string>): string =>
        `/api/stream/${name}?${new URLSearchParams(params).toString()}`;
      const call = (params: Record<string, string>, token?: string): Promise<Answer> =>
        send(url(params), {
          method: verb,
          token,
          ...(isUpload && { body: new Uint8Array(64).fill(7) }),
        });
      const what = (c: string): string => `stream ${name} (${c})`;
      expectClear(await call({}), what('no token'));
      expectClear(await call({}, 'not-a-real-token'), what('bad token'));
      expectClear(await call({}, admin), what('no params'));
      expectClear(
        await send(url({}), { method: isUpload ? 'GET' : 'POST', token: admin }),
        what('wrong verb'),
      );
      expectClear(
        await send(`/api/stream/${name}?a=1&a=2`, { method: verb, token: admin }),
        what('repeated param'),
      );
      for (const field of fields) {
        for (const value of [...TRAVERSALS, '-1', '1e9', 'a'.repeat(4000), 'NaN'])
          expectClear(
            await call({ [field]: value }, admin),
            what(`${field}=${value.slice(0, 20)}`),
          );
      }
      for (let i = 0; i < RANDOM_QUERIES_PER_STREAM; i++) {
        const params: Record<string, string> = {};
        for (const field of fields) params[field] = String(pick(random, VALUES)).slice(0, 2000);
        expectClear(
          await call(params, pick(random, [...tokens.values()])),
          what(`random params ${i}`),
        );
      }
      for (const [username, token] of tokens)
        expectClear(await call({}, token), what(`${username}'s token`));
    }
  }, 120_000);

  it('refuses odd paths, names and headers clearly', async () => {
    const admin = tokens.get('admin');
    for (const path of [
      '/api/rpc/..%2F..%2Fetc%2Fpasswd',
      '/api/rpc/__proto__',
      '/api/rpc/constructor',
      '/api/rpc/toString',
      `/api/rpc/${'a'.repeat(5000)}`,
      '/api/stream/__proto__',
      '/api/stream/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/stream/hasOwnProperty',
      '/api/nothing-here',
    ]) {
      expectClear(
        await send(path, { method: 'POST', body: '{}', token: admin }),
        path.slice(0, 60),
      );
      expectClear(await send(path, { method: 'GET', token: admin }), `GET ${path.slice(0, 60)}`);
    }
    expectClear(
      await send('/api/rpc/auth.whoami', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
        token: admin,
      }),
      'wrong content type',
    );
    expectClear(
      await send('/api/rpc/auth.whoami', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Basic YWRtaW46YWRtaW4=' },
        body: '{}',
      }),
      'basic auth',
    );
    // Every request above was answered; report the count so a shrinking fuzzer is noticed.
    expect(requests).toBeGreaterThan(METHOD_NAMES.length * 20);
  });
});
