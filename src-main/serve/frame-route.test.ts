import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Page, Scan } from '../../src-shared/contract/entities.js';
import type { FrameInfo } from '../../src-shared/contract/frames.js';
import { makePng } from '../test-support/image-fixtures.js';
import { FRAME_INFO_HEADER } from './frame-route.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
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

const frame = (path: string, auth: string | null = token): Promise<Response> =>
  fetch(`${ctx.server.url}/api/frames/${path}`, {
    headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
  });

describe('GET /api/frames/<scanId>/<index>', () => {
  it('answers the decoded pixels with the FrameInfo in a header', async () => {
    const response = await frame(`${scanId}/0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const info = JSON.parse(response.headers.get(FRAME_INFO_HEADER) ?? '{}') as FrameInfo;
    expect(info).toMatchObject({ scanId, index: 0, rows: 4, columns: 6, dtype: 'uint8' });
    const pixels = new Uint8Array(await response.arrayBuffer());
    expect(pixels.byteLength).toBe(24);
    expect(pixels[1 * 6 + 2]).toBe(2 * 10 + 1);
  });

  it('refuses without a token, and answers 404 for a frame that does not exist', async () => {
    expect((await frame(`${scanId}/0`, null)).status).toBe(401);
    expect((await frame(`${scanId}/5`)).status).toBe(404);
    expect((await frame('not-a-scan/0')).status).toBe(400);
  });
});
