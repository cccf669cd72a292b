import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDescriptionSchema } from '../../src-shared/contract/exports.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import {
  analyseWithBrightSpot,
  startServerWithSpotScan,
  streamUrl,
  type SpotScanServer,
} from './testing/test-server.js';

/** The entry names of a ZIP file as Info-ZIP's `unzip` lists them (an independent reader). */
function zipEntryNames(path: string): string[] {
  return execFileSync('/usr/bin/unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
}

// A real server and core; segmentation with a tiny identity model, as analysis-job.test.ts does.
describe('GET /api/stream/analysis.export?scanId=', () => {
  let ctx: SpotScanServer;
  let token: string;
  let scanId: string;

  beforeAll(async () => {
    ctx = await startServerWithSpotScan('AX FLAIR.png');
    ({ token, scanId } = ctx);
  });
  afterAll(() => ctx.cleanup());

  const download = (params: Record<string, string>, auth: string | null = token) =>
    fetch(streamUrl(ctx.server, 'analysis.export', params), {
      headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
    });

  async function expectJsonError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { ok: false; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code } });
    return body.error.message;
  }

  it('refuses a caller without a session or with a bad one, and a scan id that is not one', async () => {
    await expectJsonError(await download({ scanId }, null), 401, 'UNAUTHENTICATED');
    await expectJsonError(await download({ scanId }, 'not-a-session'), 401, 'UNAUTHENTICATED');
    await expectJsonError(await download({ scanId: 'scan-1' }), 400, 'INVALID_INPUT');
    await expectJsonError(await download({}), 400, 'INVALID_INPUT');
  });

  it('answers NOT_FOUND with a clear message for a scan never analysed', async () => {
    const message = await expectJsonError(await download({ scanId }), 404, 'NOT_FOUND');
    expect(message).toBe('This scan has not been analysed yet.');
  });

  it('downloads the latest analysis as a ZIP named after the scan, and audits the export', async () => {
    await analyseWithBrightSpot(ctx.server, token, scanId);
    const response = await download({ scanId });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="AX FLAIR_analysis.zip"; filename*=UTF-8''AX%20FLAIR_analysis.zip`,
    );
    // The name travels in the description too: IPC has no Content-Disposition.
    const description = exportDescriptionSchema.parse(
      JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? 'null'),
    );
    expect(description).toEqual({ fileName: 'AX FLAIR_analysis.zip', warnings: [] });

    const zipPath = join(ctx.root, description.fileName);
    writeFileSync(zipPath, Buffer.from(await response.arrayBuffer()));
    // Segmentation only: no classifier ran, so no heatmap or overlay.
    expect(zipEntryNames(zipPath)).toEqual(['AX FLAIR_mask.png', 'AX FLAIR_results.json']);
    const results = JSON.parse(
      execFileSync('/usr/bin/unzip', ['-p', zipPath, 'AX FLAIR_results.json'], {
        encoding: 'utf8',
      }),
    ) as { scanId: string; outputs: { hasMask: boolean } };
    expect(results).toMatchObject({ scanId, outputs: { hasMask: true } });

    const audited = ctx.server.core.db
      .prepare(
        "SELECT actor, details FROM audit_log WHERE action = 'analysis.export' AND target = ?",
      )
      .all(scanId) as Array<{ actor: string; details: string }>;
    expect(audited).toHaveLength(1);
    // The format only: file names are made of source names, which may name the patient.
    expect(JSON.parse(audited[0]!.details)).toEqual({ format: 'zip' });
  });
});
