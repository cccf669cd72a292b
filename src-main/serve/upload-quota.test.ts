import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadBatch } from '../../src-shared/contract/uploads.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { memoryLogger } from '../core/platform/logger.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

const KIB = 1024;
let ctx: TestServer;
let token: string;

beforeAll(async () => {
  ctx = await startTestServer({
    core: {
      kdf: TEST_KDF,
      logger: memoryLogger(),
      maxFileBytes: 4096 * KIB,
      uploadQuotas: { maxBatchBytes: 256 * KIB, maxUserBytes: 384 * KIB },
    },
  });
  token = await setUpAdmin(ctx.server);
});
afterAll(async () => {
  await ctx.cleanup();
});

const begin = async (): Promise<string> =>
  valueOf<UploadBatch>(await rpc(ctx.server, 'uploads.begin', {}, token)).batchId;

function put(batchId: string, name: string, bytes: number): Promise<Response> {
  return fetch(streamUrl(ctx.server, 'uploads.put', { batchId, name }), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}` },
    body: new Uint8Array(bytes),
  });
}

/**
 * A chunked upload (no Content-Length) of `total` bytes, sent 16 KiB at a time until the server
 * answers: the status and how many bytes had been sent by then.
 */
function chunkedPut(batchId: string, total: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      streamUrl(ctx.server, 'uploads.put', { batchId, name: 'huge.bin' }),
      { method: 'PUT', headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      answered = true;
      // The server may close the connection on refusing, before the client reads its answer.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve({ status: 0, sent });
      else reject(error);
    });
    const chunk = Buffer.alloc(16 * KIB);
    const pump = (): void => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', () => setTimeout(pump, 1));
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('serve: upload quotas', () => {
  it('stops a chunked upload at the batch quota, long before its end, and keeps nothing', async () => {
    const batchId = await begin();
    const { status, sent } = await chunkedPut(batchId, 64 * 1024 * KIB);
    // 413, or the connection closed on the refusal before the client read the answer.
    expect([0, 413]).toContain(status);
    // It stopped while the client was still sending, and before the 4 MiB file limit: the
    // 256 KiB batch quota stopped it (socket buffers account for the rest).
    expect(sent).toBeLessThan(4096 * KIB);
    console.info(`chunked upload refused after ${Math.round(sent / KIB)} KiB were sent`);
    const batchDir = join(ctx.server.core.dataDir, 'uploads', batchId);
    expect(readdirSync(join(batchDir, 'files'))).toEqual([]);
    expect(readdirSync(batchDir).filter((name) => name.startsWith('part-'))).toEqual([]);
  });

  it('refuses the file that takes a batch, then the account, over its quota', async () => {
    const first = await begin();
    expect((await put(first, 'a.bin', 200 * KIB)).status).toBe(200);
    const overBatch = await put(first, 'b.bin', 100 * KIB);
    expect(overBatch.status).toBe(413);
    expect(((await overBatch.json()) as { error: { message: string } }).error.message).toMatch(
      /the most one upload may hold/,
    );
    const second = await begin();
    expect((await put(second, 'c.bin', 150 * KIB)).status).toBe(200);
    const overUser = await put(second, 'd.bin', 100 * KIB);
    expect(overUser.status).toBe(413);
    expect(((await overUser.json()) as { error: { message: string } }).error.message).toMatch(
      /the most one account may stage/,
    );
    // What was refused is not counted: a smaller file still fits.
    expect((await put(second, 'e.bin', 20 * KIB)).status).toBe(200);
  });
});
