import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Page, Scan } from '../../src-shared/contract/entities.js';
import type { FrameInfo } from '../../src-shared/contract/frames.js';
import { makePng } from '../test-support/image-fixtures.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

let ctx: TestServer;
let token: string;
let scanId: string;

beforeAll(async () => {
  ctx = await startTestServer();
  token = await setUpAdmin(ctx.server);
  const file = join(ctx.root, 'gradient.png');
  writeFileSync(
    file,
    makePng(6, 4, (x, y) => x * 10 + y),
  );
  const job = valueOf<Job>(await rpc(ctx.server, 'import.files', { paths: [file] }, token));
  await ctx.server.core.jobs.whenFinished(job.id);
  const scans = valueOf<Page<Scan>>(await rpc(ctx.server, 'scans.list', {}, token));
  scanId = (scans.items[0] as Scan).id;
});
afterAll(async () => {
  await ctx.cleanup();
});

const frame = (
  params: Record<string, string | number>,
  auth: string | null = token,
  method = 'GET',
): Promise<Response> =>
  fetch(streamUrl(ctx.server, 'frames.read', params), {
    method,
    headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
  });

describe('GET /api/stream/frames.read?scanId=&index=', () => {
  it('answers the decoded pixels with the FrameInfo in the description header', async () => {
    const response = await frame({ scanId, index: 0 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Frames are not gzipped: decoding speed matters more than bytes on a local link.
    expect(response.headers.get('content-encoding')).toBeNull();
    const info = JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? '{}') as FrameInfo;
    expect(info).toMatchObject({ scanId, index: 0, rows: 4, columns: 6, dtype: 'uint8' });
    const pixels = new Uint8Array(await response.arrayBuffer());
    expect(pixels.byteLength).toBe(24);
    expect(pixels[1 * 6 + 2]).toBe(2 * 10 + 1);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await frame({ scanId, index: 0 }, token, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('24');
    expect(response.headers.get(STREAM_DESCRIPTION_HEADER)).toContain(scanId);
  });

  it('refuses without a token, bad params and other verbs; 404 for a missing frame', async () => {
    expect((await frame({ scanId, index: 0 }, null)).status).toBe(401);
    expect((await frame({ scanId, index: 5 })).status).toBe(404);
    const cases: Array<Record<string, string | number>> = [
      { scanId: 'not-a-scan', index: 0 },
      { scanId, index: -1 },
      { scanId, index: '1.5' },
      { scanId, index: '' },
      { scanId },
      { scanId, index: 0, extra: 1 },
    ];
    for (const params of cases) {
      const response = await frame(params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const post = await frame({ scanId, index: 0 }, token, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
