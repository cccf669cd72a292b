import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportPdfDescriptionSchema, type Report } from '../../src-shared/contract/reports.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import {
  analyseWithBrightSpot,
  rpc,
  startServerWithSpotScan,
  streamUrl,
  valueOf,
  type SpotScanServer,
} from './testing/test-server.js';

// A real server and core: the report methods over RPC and the PDF over the stream route.
describe('reports over HTTP: RPC and GET /api/stream/reports.pdf?reportId=', () => {
  let ctx: SpotScanServer;

  beforeAll(async () => {
    ctx = await startServerWithSpotScan('spot.png');
  });
  afterAll(() => ctx.cleanup());

  const download = (reportId: string, auth: string | null = ctx.token) =>
    fetch(streamUrl(ctx.server, 'reports.pdf', { reportId }), {
      headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
    });

  it('creates, signs and downloads a report; a signed one answers 409 to an edit', async () => {
    const early = await rpc(ctx.server, 'reports.create', { scanId: ctx.scanId }, ctx.token);
    expect(early).toMatchObject({ status: 404, body: { ok: false, error: { code: 'NOT_FOUND' } } });

    await analyseWithBrightSpot(ctx.server, ctx.token, ctx.scanId);
    const draft = valueOf<Report>(
      await rpc(ctx.server, 'reports.create', { scanId: ctx.scanId }, ctx.token),
    );
    expect((await download(draft.id, null)).status).toBe(401);

    const response = await download(draft.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const description = reportPdfDescriptionSchema.parse(
      JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? 'null'),
    );
    expect(description).toMatchObject({ status: 'draft', version: 1 });
    expect(response.headers.get('content-disposition')).toContain(
      `filename="${description.fileName}"`,
    );
    const path = join(ctx.root, description.fileName);
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    expect(execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })).toContain(
      'DRAFT, not signed',
    );

    await rpc(ctx.server, 'reports.update', { id: draft.id, impression: 'Spot.' }, ctx.token);
    valueOf(await rpc(ctx.server, 'reports.sign', { id: draft.id }, ctx.token));
    const edit = await rpc(
      ctx.server,
      'reports.update',
      { id: draft.id, impression: 'x' },
      ctx.token,
    );
    expect(edit).toMatchObject({
      status: 409,
      body: {
        ok: false,
        error: { code: 'CONFLICT', message: 'A signed report cannot be edited; amend it.' },
      },
    });
  });
});
