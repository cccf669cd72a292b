import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/contract/entities.js';
import { labelVolumeInfoSchema } from '../../src-shared/contract/labels.js';
import type { MethodOutput } from '../../src-shared/contract/methods.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { installBrightSpotModel } from '../test-support/model-fixtures.js';
import { makeNifti } from '../test-support/volume-fixtures.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import { acceptsGzip } from './accept-encoding.js';
import {
  analyseWithBrightSpot,
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

describe('acceptsGzip', () => {
  it('reads gzip or * from Accept-Encoding, unless refused with q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// A real server, a NIfTI scan with a bright block, a tiny identity segmentation model (as in
// analysis-image-route.test.ts) and an imported label map.
describe('GET /api/stream/labels.read?scanId=&source=<analysis|segmentationId>', () => {
  let ctx: TestServer;
  let modelsDir: string;
  let token: string;
  let scanId: string;
  let segmentationId: string;
  const isBlock = (i: number, j: number, k: number): boolean => i < 32 && j < 32 && k === 2;

  /** node:http, not fetch: fetch would decode the gzip body and hide Content-Encoding. */
  function get(
    params: Record<string, string>,
    headers: Record<string, string> = { Authorization: `Bearer ${token}` },
    method = 'GET',
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const url = streamUrl(ctx.server, 'labels.read', params);
      const req = request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  function expectError(response: RawResponse, status: number, code: string): string {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(response.body.toString('utf8')) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(body).toMatchObject({ ok: false, error: { code } });
    return body.error.message;
  }

  function infoOf(response: RawResponse): unknown {
    return labelVolumeInfoSchema.parse(
      JSON.parse(String(response.headers[STREAM_DESCRIPTION_HEADER.toLowerCase()])),
    );
  }

  async function importFiles(paths: string[], segmentationOf?: string): Promise<void> {
    const input = { paths, ...(segmentationOf !== undefined && { segmentationOf }) };
    const job = valueOf<Job>(await rpc(ctx.server, 'import.files', input, token));
    expect((await ctx.server.core.jobs.whenFinished(job.id)).status).toBe('completed');
  }

  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'neurosphere-label-models-'));
    installBrightSpotModel(modelsDir);
    ctx = await startTestServer({ core: { kdf: TEST_KDF, logger: memoryLogger(), modelsDir } });
    token = await setUpAdmin(ctx.server);
    const scanFile = join(ctx.root, 'flair.nii.gz');
    writeFileSync(
      scanFile,
      makeNifti({
        dims: [64, 64, 4],
        gzip: true,
        voxel: (i, j, k) => (isBlock(i, j, k) ? 250 : 60),
      }),
    );
    await importFiles([scanFile]);
    scanId = ctx.server.core.db.prepare('SELECT id FROM scans').pluck().get() as string;
    const labelFile = join(ctx.root, 'seg.nii');
    writeFileSync(
      labelFile,
      makeNifti({
        dims: [64, 64, 4],
        datatype: 'uint8',
        voxel: (i, j, k) => (isBlock(i, j, k) ? 4 : 0),
      }),
    );
    await importFiles([labelFile], scanId);
    const detail = valueOf<MethodOutput<'scans.get'>>(
      await rpc(ctx.server, 'scans.get', { id: scanId }, token),
    );
    segmentationId = detail.segmentations[0]!.id;
  });
  afterAll(async () => {
    await ctx.cleanup();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('authenticates before reading the path, and answers 404 before any analysis', async () => {
    expectError(await get({ scanId, source: 'analysis' }, {}), 401, 'UNAUTHENTICATED');
    expectError(
      await get({ scanId: 'not-a-scan', source: 'whatever' }, {}),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await get({ scanId: 'not-a-scan', source: 'analysis' }), 400, 'INVALID_INPUT');
    expectError(await get({ scanId, source: 'mask' }), 400, 'INVALID_INPUT');
    expectError(await get({ scanId, source: 'analysis' }, undefined, 'POST'), 405, 'INVALID_INPUT');
    const message = expectError(await get({ scanId, source: 'analysis' }), 404, 'NOT_FOUND');
    expect(message).toMatch(/not been analysed/);
  });

  it('serves the analysis mask on the frame grid, gzipped when the client accepts it', async () => {
    await analyseWithBrightSpot(ctx.server, token, scanId);
    const { mask } = await ctx.server.core.analysis.outputs(scanId);
    const auth = { Authorization: `Bearer ${token}` };

    const zipped = await get(
      { scanId, source: 'analysis' },
      { ...auth, 'Accept-Encoding': 'gzip, deflate' },
    );
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-type']).toBe('application/octet-stream');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('no-store');
    expect(zipped.headers['vary']).toMatch(/Accept-Encoding/);
    expect(infoOf(zipped)).toEqual({
      scanId,
      source: 'analysis',
      columns: 64,
      rows: 64,
      frames: 4,
      labels: [1],
    });
    const labels = new Uint8Array(gunzipSync(zipped.body));
    expect(labels).toEqual(mask);
    expect(zipped.body.byteLength).toBeLessThan(labels.byteLength / 20);
    // Frame order: the labelled voxels are the bright block of frame 2 (frames flip x and y).
    const frame = await ctx.server.core.frames.getFrame(scanId, 2);
    const bright = new Int16Array(frame.data);
    const plane = 64 * 64;
    const labelled = [...labels.keys()].filter((v) => labels[v] === 1);
    expect(labelled.length).toBeGreaterThan(500);
    expect(labelled.every((v) => Math.floor(v / plane) === 2 && bright[v % plane] === 250)).toBe(
      true,
    );

    const plain = await get({ scanId, source: 'analysis' }, auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(64 * 64 * 4);
    expect(new Uint8Array(plain.body)).toEqual(mask);
    // Reading a label volume is a read of patient data: audited like scans.get.
    const audited = ctx.server.core.db
      .prepare("SELECT actor, target, details FROM audit_log WHERE action = 'labels.read'")
      .all() as Array<{ actor: string; target: string; details: string }>;
    expect(
      audited.map((row) => ({ ...row, details: JSON.parse(row.details) as unknown })),
    ).toContainEqual({
      actor: 'admin',
      target: scanId,
      details: { source: 'analysis' },
    });
  });

  it('serves an imported label map on the scan grid, and refuses one on another grid', async () => {
    const response = await get({ source: segmentationId });
    expectError(response, 400, 'INVALID_INPUT');
    const served = await get({ scanId, source: segmentationId });
    expect(served.status).toBe(200);
    expect(infoOf(served)).toMatchObject({ source: segmentationId, labels: [4] });
    // The label map was stored like the scan, so its labels sit exactly on the bright voxels.
    const frames = await Promise.all(
      [0, 1, 2, 3].map(
        async (k) => new Int16Array((await ctx.server.core.frames.getFrame(scanId, k)).data),
      ),
    );
    const expected = frames.flatMap((f) => [...f].map((v) => (v === 250 ? 4 : 0)));
    expect([...served.body]).toEqual(expected);

    // The import refuses another grid; a row stored by other means is still not drawn.
    const { core } = ctx.server;
    const blob = await core.blobs.putBuffer(
      makeNifti({ dims: [64, 32, 4], datatype: 'uint8', voxel: () => 1 }),
    );
    const fileId = '0b6f3c1e-2d4a-4b5c-8d9e-00000000f11e';
    const wrongId = '0b6f3c1e-2d4a-4b5c-8d9e-0000000005e9';
    const now = new Date().toISOString();
    core.db
      .prepare(
        `INSERT INTO files (id, sha256, size, mime_type, original_path, scan_id, import_job_id, created_at)
         VALUES (?, ?, ?, 'application/x-nifti', 'other.nii', ?, NULL, ?)`,
      )
      .run(fileId, blob.sha256, blob.size, scanId, now);
    core.db
      .prepare(
        `INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at)
         VALUES (?, ?, ?, '[1]', 'other.nii', ?)`,
      )
      .run(wrongId, scanId, fileId, now);
    const message = expectError(await get({ scanId, source: wrongId }), 400, 'INVALID_INPUT');
    expect(message).toMatch(
      /label map's grid \(64×32×4 voxels\) differs from the scan's \(64×64×4\)/,
    );
    expectError(
      await get({ scanId, source: '0b6f3c1e-2d4a-4b5c-8d9e-000000000000' }),
      404,
      'NOT_FOUND',
    );
  });
});
