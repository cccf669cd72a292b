/**
 * The proof that a download is one table entry and one handler: two streams that exist
 * only in this test are added to the core's table with `extendStreams`, then read over serve
 * mode's HTTP route and over the Electron IPC router, neither of which knows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuid } from '../../src-shared/contract/entities.js';
import {
  queryInteger,
  stream,
  STREAM_DESCRIPTION_HEADER,
} from '../../src-shared/contract/streams.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { actorOf } from '../core/auth/principal.js';
import { extendStreams } from '../core/streams/stream-table.js';
import type { StreamHandlersOf } from '../core/streams/stream-types.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from '../serve/testing/test-server.js';
import { handleStream } from './ipc-router.js';
import { APP_ENTRY_URL } from './policy.js';

const SCAN = '0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e';
const TRUSTED = `${APP_ENTRY_URL}#/scans/${SCAN}`;

// The one table entry per stream…
const testStreams = {
  'test.greeting': stream({
    summary: 'A repeated greeting with who asked for it (test only)',
    params: z.object({ scanId: uuid, repeat: queryInteger(1, 5) }).strict(),
    access: 'scans.read',
    response: {
      kind: 'bytes',
      description: z.object({ scanId: uuid, reader: z.string(), bytes: z.number().int() }),
      compress: true,
    },
  }),
  'test.report': stream({
    summary: 'A report sent in chunks (test only)',
    params: z.object({ scanId: uuid }).strict(),
    access: 'analysis.run',
    response: { kind: 'pdf' },
  }),
  'test.page': stream({
    summary: 'An exported HTML page sent in chunks (test only)',
    params: z.object({}).strict(),
    access: 'scans.read',
    response: { kind: 'html' },
  }),
};

const PDF_PARTS = ['%PDF-1.7\n', 'Befund für ', 'the test\n%%EOF\n'];
const PAGE_PARTS = ['<!doctype html><title>3D</title>', '<script>alert(1)</script>'];

// …and the one handler per stream.
const testHandlers: StreamHandlersOf<typeof testStreams> = {
  'test.greeting': ({ scanId, repeat }, call) => {
    const data = new TextEncoder().encode('hello '.repeat(repeat));
    return {
      description: { scanId, reader: actorOf(call.principal) ?? '', bytes: data.byteLength },
      data,
    };
  },
  'test.report': ({ scanId }) => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const part of PDF_PARTS) yield new TextEncoder().encode(part);
    }
    return { data: chunks(), filename: `Befund ${scanId.slice(0, 8)} ü.pdf` };
  },
  'test.page': () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const part of PAGE_PARTS) yield new TextEncoder().encode(part);
    }
    return { data: chunks() };
  },
};

describe('a stream added by one table entry and one handler', () => {
  let ctx: TestServer;
  let token: string;
  let viewerToken: string;

  beforeAll(async () => {
    ctx = await startTestServer({
      core: {
        kdf: TEST_KDF,
        logger: memoryLogger(),
        extendStreams: (table) => extendStreams(table, testStreams, testHandlers),
      },
    });
    token = await setUpAdmin(ctx.server);
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username: 'vera', password: 'a-long-password', role: 'viewer' },
        token,
      ),
    );
    viewerToken = valueOf<{ token: string }>(
      await rpc(ctx.server, 'auth.login', { username: 'vera', password: 'a-long-password' }),
    ).token;
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  const get = (
    name: string,
    params: Record<string, string | number>,
    auth: string | null = token,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(streamUrl(ctx.server, name, params), {
      headers: { ...headers, ...(auth !== null && { Authorization: `Bearer ${auth}` }) },
    });

  it('is served over HTTP with its description, gzipped when accepted', async () => {
    const response = await get('test.greeting', { scanId: SCAN, repeat: 2 }, token, {
      'Accept-Encoding': 'gzip',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? 'null')).toEqual({
      scanId: SCAN,
      reader: 'admin',
      bytes: 12,
    });
    // fetch undoes the gzip itself.
    expect(await response.text()).toBe('hello hello ');
  });

  it('gets the router checks over HTTP: session, params and permission', async () => {
    const anonymous = await get('test.greeting', { scanId: SCAN, repeat: 2 }, null);
    expect(anonymous.status).toBe(401);
    const badParams = await get('test.greeting', { scanId: SCAN, repeat: 9 });
    expect(badParams.status).toBe(400);
    expect(await badParams.json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Invalid repeat/) },
    });
    const viewer = await get('test.report', { scanId: SCAN }, viewerToken);
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED' } });
    expect((await get('test.missing', { scanId: SCAN })).status).toBe(404);
  });

  it('sends a chunked download as an attachment with its file name', async () => {
    const response = await get('test.report', { scanId: SCAN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Befund 0b6f3c1e _.pdf"; filename*=UTF-8''Befund%200b6f3c1e%20%C3%BC.pdf`,
    );
    expect(await response.text()).toBe(PDF_PARTS.join(''));
  });

  it('gzips a chunked HTML export and keeps it from running on the app origin', async () => {
    const response = await get('test.page', {}, token, { 'Accept-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="test\.page\.html"/,
    );
    expect(await response.text()).toBe(PAGE_PARTS.join(''));
  });

  it('is listed by /api/methods with its kind', async () => {
    const contract = (await (await fetch(`${ctx.server.url}/api/methods`)).json()) as {
      streams: Array<{ name: string; kind: string; access: string }>;
    };
    expect(contract.streams).toContainEqual(
      expect.objectContaining({ name: 'test.report', kind: 'pdf', access: 'analysis.run' }),
    );
    expect(contract.streams.map((s) => s.name)).toContain('frames.read');
  });

  it('is served over the IPC router with the same checks', async () => {
    const { router } = ctx.server.core;
    const greeting = await handleStream(
      router,
      TRUSTED,
      'test.greeting',
      { scanId: SCAN, repeat: 3 },
      token,
    );
    if (!greeting.ok) throw new Error(greeting.error.message);
    expect(greeting.value.description).toEqual({ scanId: SCAN, reader: 'admin', bytes: 18 });
    expect(new TextDecoder().decode(greeting.value.data)).toBe('hello hello hello ');

    const report = await handleStream(router, TRUSTED, 'test.report', { scanId: SCAN }, token);
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.description).toBeNull();
    expect(new TextDecoder().decode(report.value.data)).toBe(PDF_PARTS.join(''));

    const refused = [
      await handleStream(
        router,
        'https://evil.example/',
        'test.greeting',
        { scanId: SCAN, repeat: 1 },
        token,
      ),
      await handleStream(router, TRUSTED, 'test.greeting', { scanId: SCAN, repeat: 1 }, null),
      await handleStream(router, TRUSTED, 'test.greeting', { scanId: SCAN, repeat: 0 }, token),
      await handleStream(router, TRUSTED, 'test.report', { scanId: SCAN }, viewerToken),
      await handleStream(router, TRUSTED, 'test.missing', {}, token),
    ];
    expect(refused.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'PERMISSION_DENIED',
      'UNAUTHENTICATED',
      'INVALID_INPUT',
      'PERMISSION_DENIED',
      'NOT_FOUND',
    ]);
  });

  it('cannot take a name the table already has', () => {
    const table = { specs: { 'test.report': testStreams['test.report'] }, handlers: {} };
    expect(() => extendStreams(table, testStreams, testHandlers)).toThrow(/declared twice/);
  });
});
