import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, Job } from '../../src-shared/contract/entities.js';
import type { UploadBatch } from '../../src-shared/contract/uploads.js';
import { makePng } from '../test-support/image-fixtures.js';
import { makeNifti } from '../test-support/volume-fixtures.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

const MAX_FILE_BYTES = 64 * 1024;
let ctx: TestServer;
let adminToken: string;
let viewerToken: string;
let technologistToken: string;

beforeAll(async () => {
  ctx = await startTestServer({
    core: { kdf: TEST_KDF, logger: memoryLogger(), maxFileBytes: MAX_FILE_BYTES },
  });
  adminToken = await setUpAdmin(ctx.server);
  for (const [username, role] of [
    ['vera', 'viewer'],
    ['tom', 'technologist'],
  ] as const) {
    valueOf(
      await rpc(
        ctx.server,
        'users.create',
        { username, password: 'a-long-password', role },
        adminToken,
      ),
    );
  }
  const login = async (username: string): Promise<string> =>
    valueOf<{ token: string }>(
      await rpc(ctx.server, 'auth.login', { username, password: 'a-long-password' }),
    ).token;
  viewerToken = await login('vera');
  technologistToken = await login('tom');
});
afterAll(async () => {
  await ctx.cleanup();
});

async function begin(token = adminToken): Promise<UploadBatch> {
  return valueOf<UploadBatch>(await rpc(ctx.server, 'uploads.begin', {}, token));
}

function upload(
  batch: string,
  name: string,
  body: Uint8Array,
  token: string | null = adminToken,
  method = 'PUT',
): Promise<Response> {
  return fetch(streamUrl(ctx.server, 'uploads.put', { batchId: batch, name }), {
    method,
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(token !== null && { Authorization: `Bearer ${token}` }),
    },
    body,
  });
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { ok: boolean; error?: { code: string } };
  return body.error?.code ?? 'none';
}

describe('PUT /api/stream/uploads.put?batchId=&name=', () => {
  it('takes PUT or POST, refuses GET (405) and a parameter given twice (400)', async () => {
    const { batchId } = await begin();
    expect((await upload(batchId, 'put.png', makePng(4, 4))).status).toBe(200);
    expect((await upload(batchId, 'post.png', makePng(4, 4), adminToken, 'POST')).status).toBe(200);
    const get = await fetch(streamUrl(ctx.server, 'uploads.put', { batchId, name: 'a.png' }), {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('PUT, POST');
    const twice = await fetch(
      `${streamUrl(ctx.server, 'uploads.put', { batchId, name: 'a.png' })}&name=b.png`,
      { method: 'PUT', headers: { Authorization: `Bearer ${adminToken}` }, body: makePng(4, 4) },
    );
    expect(twice.status).toBe(400);
    expect(await errorCode(twice)).toBe('INVALID_INPUT');
  });

  it('refuses a request without a session token (401)', async () => {
    const { batchId } = await begin();
    const response = await upload(batchId, 'a.png', makePng(4, 4), null);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('refuses a viewer, in the route and in uploads.begin (403)', async () => {
    const { batchId } = await begin();
    const response = await upload(batchId, 'a.png', makePng(4, 4), viewerToken);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('PERMISSION_DENIED');
    const refused = await rpc(ctx.server, 'uploads.begin', {}, viewerToken);
    expect(refused.status).toBe(403);
  });

  it("refuses writing into another account's batch", async () => {
    const { batchId } = await begin(adminToken);
    const response = await upload(batchId, 'a.png', makePng(4, 4), technologistToken);
    expect(response.status).toBe(403);
    const commit = await rpc(ctx.server, 'uploads.commit', { batchId }, technologistToken);
    expect(commit.status).toBe(403);
  });

  it('refuses names that could leave the batch folder, without writing anything', async () => {
    const { batchId } = await begin();
    for (const name of [
      '../escape.png',
      'a/../../b.png',
      '/etc/passwd',
      'a\\b.png',
      'C:x',
      '',
      'a//b',
      './a',
    ]) {
      const response = await upload(batchId, name, makePng(4, 4));
      expect(response.status, name).toBe(400);
      expect(await errorCode(response)).toBe('INVALID_INPUT');
    }
    const staged = join(ctx.server.core.dataDir, 'uploads', batchId, 'files');
    expect(readdirSync(staged)).toEqual([]);
    expect(existsSync(join(ctx.server.core.dataDir, 'uploads', 'escape.png'))).toBe(false);
  });

  it('refuses a file over the size limit (413) and keeps nothing of it', async () => {
    const { batchId, maxFileBytes } = await begin();
    expect(maxFileBytes).toBe(MAX_FILE_BYTES);
    const response = await upload(batchId, 'big.bin', new Uint8Array(MAX_FILE_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('FILE_TOO_LARGE');
    const batchDir = join(ctx.server.core.dataDir, 'uploads', batchId);
    expect(readdirSync(join(batchDir, 'files'))).toEqual([]);
    expect(readdirSync(batchDir).filter((name) => name.startsWith('part-'))).toEqual([]);
  });

  it('refuses an unknown batch (404) and the same name twice (409)', async () => {
    const unknown = await upload('00000000-0000-4000-8000-00000000dead', 'a.png', makePng(4, 4));
    expect(unknown.status).toBe(404);
    const { batchId } = await begin();
    expect((await upload(batchId, 'a.png', makePng(4, 4))).status).toBe(200);
    expect((await upload(batchId, 'a.png', makePng(4, 4))).status).toBe(409);
  });

  it('stages files in folders, imports them on commit and removes the staging afterwards', async () => {
    const { batchId } = await begin(technologistToken);
    const first = await upload(batchId, 'CD/IMAGES/one.png', makePng(8, 8), technologistToken);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      ok: true,
      value: { name: 'CD/IMAGES/one.png', bytes: expect.any(Number) },
    });
    expect(
      (
        await upload(
          batchId,
          'two.png',
          makePng(8, 8, (x) => x * 20),
          technologistToken,
        )
      ).status,
    ).toBe(200);
    const job = valueOf<Job>(
      await rpc(ctx.server, 'uploads.commit', { batchId }, technologistToken),
    );
    expect(job.type).toBe('import.files');
    const finished = await ctx.server.core.jobs.whenFinished(job.id);
    expect(finished.status).toBe('completed');
    const report = valueOf<ImportReport>(
      await rpc(ctx.server, 'import.report', { id: job.id }, adminToken),
    );
    expect(report).toMatchObject({ total: 2, imported: 2, duplicates: 0, rejected: 0 });
    const batchDir = join(ctx.server.core.dataDir, 'uploads', batchId);
    await expect.poll(() => existsSync(batchDir)).toBe(false);
    // A committed batch takes no more files.
    expect((await upload(batchId, 'three.png', makePng(8, 8), technologistToken)).status).not.toBe(
      200,
    );
  });

  it('imports an uploaded NIfTI label map as a segmentation of the scan it names', async () => {
    const volume = makeNifti({ dims: [6, 5, 4], gzip: true });
    const labels = makeNifti({
      dims: [6, 5, 4],
      gzip: true,
      datatype: 'uint8',
      voxel: (i, j, k) => (i > 2 && j > 1 && k === 2 ? 1 : 0),
    });
    const first = await begin(technologistToken);
    await upload(first.batchId, 'head.nii.gz', volume, technologistToken);
    const imported = valueOf<Job>(
      await rpc(ctx.server, 'uploads.commit', { batchId: first.batchId }, technologistToken),
    );
    await ctx.server.core.jobs.whenFinished(imported.id);
    const report = valueOf<ImportReport>(
      await rpc(ctx.server, 'import.report', { id: imported.id }, adminToken),
    );
    const scanId = report.scanIds[0]!;

    // A scan id that does not exist is refused before any job starts.
    const second = await begin(technologistToken);
    await upload(second.batchId, 'head_seg.nii.gz', labels, technologistToken);
    const unknown = await rpc(
      ctx.server,
      'uploads.commit',
      { batchId: second.batchId, segmentationOf: '00000000-0000-4000-8000-00000000beef' },
      technologistToken,
    );
    expect(unknown.status).toBe(404);
    const job = valueOf<Job>(
      await rpc(
        ctx.server,
        'uploads.commit',
        { batchId: second.batchId, segmentationOf: scanId },
        technologistToken,
      ),
    );
    expect((await ctx.server.core.jobs.whenFinished(job.id)).status).toBe('completed');
    const detail = valueOf<{ segmentations: Array<{ labels: number[]; source: string }> }>(
      await rpc(ctx.server, 'scans.get', { id: scanId }, adminToken),
    );
    expect(detail.segmentations).toHaveLength(1);
    expect(detail.segmentations[0]!.labels).toEqual([1]);
    // The label map became a segmentation, not a scan of its own.
    const scans = valueOf<{ total: number }>(
      await rpc(ctx.server, 'scans.list', { search: 'head_seg' }, adminToken),
    );
    expect(scans.total).toBe(0);
  });

  it('refuses to commit an empty batch and discards an aborted one', async () => {
    const { batchId } = await begin();
    const empty = await rpc(ctx.server, 'uploads.commit', { batchId }, adminToken);
    expect(empty.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await upload(batchId, 'a.png', makePng(4, 4))).status).toBe(200);
    expect(valueOf(await rpc(ctx.server, 'uploads.abort', { batchId }, adminToken))).toEqual({
      aborted: true,
    });
    expect(existsSync(join(ctx.server.core.dataDir, 'uploads', batchId))).toBe(false);
    expect((await upload(batchId, 'b.png', makePng(4, 4))).status).toBe(404);
  });
});
