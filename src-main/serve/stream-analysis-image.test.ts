import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../test-support/image-fixtures.js';
import {
  analyseWithBrightSpot,
  startServerWithSpotScan,
  streamUrl,
  type SpotScanServer,
} from './testing/test-server.js';

// A real server and core; segmentation with a tiny identity model, as analysis-job.test.ts does.
describe('GET /api/stream/analysis.image?scanId=&kind=<heatmap|overlay>', () => {
  let ctx: SpotScanServer;
  let token: string;
  let scanId: string;

  beforeAll(async () => {
    ctx = await startServerWithSpotScan('spot.png');
    ({ token, scanId } = ctx);
  });
  afterAll(() => ctx.cleanup());

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
