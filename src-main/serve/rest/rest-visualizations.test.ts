import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from '../testing/test-server.js';
import { expectShape, jsonOf } from './testing/rest-expect.js';

/**
 * The Neurosphere seed's 3D routes on a real serve: POST /api/scans/{id}/visualize starts the
 * HTML scene job (202), GET /api/visualizations/{id} answers 409 until the file is there, then
 * the HTML; the scan's detail links it as visualizationUrl.
 */
const DIMS: [number, number, number] = [32, 32, 16];
const inLesion = (i: number, j: number, k: number) => Math.hypot(i - 16, j - 14, k - 8) <= 4;
const VIEWER = 'document.body.dataset.viewer = "rest-test";';

let ctx: TestServer;
let url: string;
let token: string;
let scanId: string;
let viewerDir: string;
const bearer = () => ({ Authorization: `Bearer ${token}` });

async function finished(jobId: string): Promise<string> {
  for (;;) {
    const job = valueOf<{ status: string }>(
      await rpc(ctx.server, 'jobs.get', { id: jobId }, token),
    );
    if (job.status !== 'pending' && job.status !== 'processing') return job.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  viewerDir = mkdtempSync(join(tmpdir(), 'neurosphere-viewer-'));
  const viewer = join(viewerDir, 'scene-viewer.js');
  writeFileSync(viewer, VIEWER);
  ctx = await startTestServer({ core: { sceneViewerScriptPath: viewer } });
  url = ctx.server.url;
  token = await setUpAdmin(ctx.server);
  const volume = join(ctx.root, 'head.nii.gz');
  const labels = join(ctx.root, 'head-seg.nii.gz');
  writeFileSync(
    volume,
    makeNifti({
      dims: DIMS,
      gzip: true,
      voxel: (i, j, k) =>
        Math.hypot((i - 16) / 13, (j - 16) / 14, (k - 8) / 7) > 1
          ? 2
          : inLesion(i, j, k)
            ? 800
            : 300,
    }),
  );
  writeFileSync(
    labels,
    makeNifti({
      dims: DIMS,
      datatype: 'uint8',
      gzip: true,
      voxel: (i, j, k) => (inLesion(i, j, k) ? 1 : 0),
    }),
  );
  const imported = valueOf<{ id: string }>(
    await rpc(ctx.server, 'import.files', { paths: [volume] }, token),
  );
  expect(await finished(imported.id)).toBe('completed');
  scanId = valueOf<{ scanIds: string[] }>(
    await rpc(ctx.server, 'import.report', { id: imported.id }, token),
  ).scanIds[0]!;
  const seg = valueOf<{ id: string }>(
    await rpc(ctx.server, 'import.files', { paths: [labels], segmentationOf: scanId }, token),
  );
  expect(await finished(seg.id)).toBe('completed');
}, 60_000);
afterAll(async () => {
  await ctx.cleanup();
  rmSync(viewerDir, { recursive: true, force: true });
});

describe('Neurosphere seed: 3D visualization', () => {
  it('POST visualize answers 202 with the id, GET answers the self-contained HTML once built', async () => {
    const detailBefore = await jsonOf(
      await fetch(`${url}/api/scans/${scanId}`, { headers: bearer() }),
    );
    expect(detailBefore['visualizationUrl']).toBeNull();

    const response = await fetch(`${url}/api/scans/${scanId}/visualize`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ quality: 'low', highlightTumor: true, colorScheme: 'colorblind' }),
    });
    const body = await jsonOf(response);
    expect(response.status, JSON.stringify(body)).toBe(202);
    expectShape(body, {
      visualizationId: 'string',
      status: 'string',
      estimatedCompletionTime: 'string|null',
    });
    expect(body['status']).toBe('processing');
    const id = body['visualizationId'] as string;

    let html: Response;
    for (;;) {
      html = await fetch(`${url}/api/visualizations/${id}`, { headers: bearer() });
      if (html.status !== 409) break;
      expect(((await jsonOf(html))['error'] as { message: string }).message).toMatch(
        /still being built/,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.html"/);
    const text = await html.text();
    expect(text).toContain(`<script>${VIEWER}</script>`);
    expect(text).toContain('"colorScheme":"colorblind"');

    const detail = await jsonOf(await fetch(`${url}/api/scans/${scanId}`, { headers: bearer() }));
    expect(detail['visualizationUrl']).toBe(`/api/visualizations/${id}`);
  });

  it('refuses a body with unknown options, with what to send', async () => {
    const response = await fetch(`${url}/api/scans/${scanId}/visualize`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ quality: 'ultra' }),
    });
    expect(response.status).toBe(400);
    expect(((await jsonOf(response))['error'] as { message: string }).message).toMatch(
      /quality.*Send \{ "quality"/,
    );
  });
});
