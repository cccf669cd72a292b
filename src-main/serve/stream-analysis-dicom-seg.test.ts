import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDescriptionSchema } from '../../src-shared/contract/exports.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import {
  DECODE_SEG_PY,
  EMPTY_TYPE2_WARNINGS,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../test-support/dicom-validation.js';
import {
  analyseWithBrightSpot,
  startServerWithSpotScan,
  streamUrl,
  type SpotScanServer,
} from './testing/test-server.js';

// The SEG download the UI offers: one table entry and one handler, served like any download.
describe('GET /api/stream/analysis.dicomSeg?scanId=', () => {
  let ctx: SpotScanServer;
  let token: string;
  let scanId: string;

  beforeAll(async () => {
    requireDicomValidators();
    ctx = await startServerWithSpotScan('AX FLAIR.png');
    ({ token, scanId } = ctx);
  });
  afterAll(() => ctx.cleanup());

  const download = (auth: string | null = token) =>
    fetch(streamUrl(ctx.server, 'analysis.dicomSeg', { scanId }), {
      headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
    });

  it('refuses a caller without a session, and a scan never analysed', async () => {
    expect((await download(null)).status).toBe(401);
    const response = await download();
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This scan has not been analysed yet.' },
    });
  });

  it('downloads a valid SEG (application/dicom) whose mask is the stored one', async () => {
    await analyseWithBrightSpot(ctx.server, token, scanId);
    const response = await download();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/dicom');
    const description = exportDescriptionSchema.parse(
      JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? 'null'),
    );
    expect(description.fileName).toMatch(/^bright-spot_[0-9a-f]{8}_seg\.dcm$/);
    // A PNG has no DICOM header: the description says the UIDs were made up.
    expect(description.warnings.join(' ')).toMatch(/the source is PNG, not DICOM/);
    expect(response.headers.get('content-disposition')).toContain(
      `attachment; filename="${description.fileName}"`,
    );
    const path = join(ctx.root, description.fileName);
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));

    const report = validatorFindings(path, EMPTY_TYPE2_WARNINGS);
    expect(report.errors, report.output).toEqual([]);
    expect(report.unexplainedWarnings, report.output).toEqual([]);
    const decoded = join(ctx.root, 'decoded.raw');
    const seg = runPython<{ shape: number[]; frames: number }>(DECODE_SEG_PY, [path, decoded]);
    expect(seg).toMatchObject({ shape: [1, 32, 32], frames: 1 });
    const { mask } = await ctx.server.core.analysis.outputs(scanId);
    expect(mask?.some((v) => v !== 0)).toBe(true);
    expect(readFileSync(decoded).equals(Buffer.from(mask!))).toBe(true);
  });
});
