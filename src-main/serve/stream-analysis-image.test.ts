import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Page, Scan } from '../../src-shared/contract/entities.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { makePng } from '../test-support/image-fixtures.js';
import { installBrightSpotModel } from '../test-support/model-fixtures.js';
import {
  analyseWithBrightSpot,
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

// A real server and core; segmentation with a tiny identity model, as analysis-job.test.ts does.
describe('GET /api/stream/analysis.image?scanId=&kind=<heatmap|overlay>', () => {
  let ctx: TestServer;
  let modelsDir: string;
  let token: string;
  let scanId: string;

  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'neurosphere-image-models-'));
    installBrightSpotModel(modelsDir);
    ctx = await startTestServer({ core: { kdf: TEST_KDF, logger: memoryLogger(), modelsDir } });
    token = await setUpAdmin(ctx.server);
    const file = join(ctx.root, 'spot.png');
    writeFileSync(
      file,
      makePng(32, 32, (x, y) => (x >= 8 && x < 16 && y >= 8 && y < 16 ? 250 : 60)),
    );
    const job = valueOf<Job>(await rpc(ctx.server, 'import.files', { paths: [file] }, token));
    await ctx.server.core.jobs.whenFinished(job.id);
    const scans = valueOf<Page<Scan>>(await rpc(ctx.server, 'scans.list', {}, token));
    scanId = (scans.items[0] as Scan).id;
  });
  afterAll(async () => {
    await ctx.cleanup();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  const image = (params: Record<string, string>, auth: string | null = token): Promise<Response> =>
    fetch(streamUrl(ctx.server, 'analysis.image', params), {
      headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
    });

  async function expectJsonError(response: Response, status: number, code: string): Promise<void> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ ok: false, error: { code } });
  }

  it('refuses without a token and answers 404 before any analysis', async () => {
    await expectJsonError(await image({ scanId, kind: 'overlay' }, null), 401, 'UNAUTHENTICATED');
    await expectJsonError(await image({ scanId, kind: 'overlay' }), 404, 'NOT_FOUND');
    await expectJsonError(await image({ scanId, kind: 'mask' }), 400, 'INVALID_INPUT');
    await expectJsonError(
      await image({ scanId: 'not-a-scan', kind: 'overlay' }),
      400,
      'INVALID_INPUT',
    );
  });

  it('answers 404 for pictures a segmentation-only analysis lacks, and serves stored PNGs', async () => {
    await analyseWithBrightSpot(ctx.server, token, scanId);
    // Without a classifier there is no class activation map: both pictures are absent.
    await expectJsonError(await image({ scanId, kind: 'heatmap' }), 404, 'NOT_FOUND');
    await expectJsonError(await image({ scanId, kind: 'overlay' }), 404, 'NOT_FOUND');

    // A classifier needs trained weights, so store a picture in its place, as the analysis would.
    const { core } = ctx.server;
    const png = makePng(4, 4, (x, y) => x * 16 + y);
    const blob = await core.blobs.putBuffer(png);
    core.db
      .prepare('UPDATE analyses SET overlay_sha256 = ? WHERE scan_id = ?')
      .run(blob.sha256, scanId);
    const response = await image({ scanId, kind: 'overlay' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    await expectJsonError(await image({ scanId, kind: 'heatmap' }), 404, 'NOT_FOUND');
    // Seeing the picture is a read of the analysis: audited as analysis.get is.
    const audited = core.db
      .prepare("SELECT details FROM audit_log WHERE action = 'analysis.read' AND target = ?")
      .pluck()
      .all(scanId) as string[];
    expect(audited.map((details) => JSON.parse(details) as unknown)).toContainEqual({
      image: 'overlay',
    });
  });
});
