import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDicomDescriptionSchema } from '../../src-shared/contract/report-dicom.js';
import type { Report } from '../../src-shared/contract/reports.js';
import { STREAM_DESCRIPTION_HEADER } from '../../src-shared/contract/streams.js';
import {
  DECODE_SEG_PY,
  EMPTY_TYPE2_WARNINGS,
  READ_PDF_PY,
  READ_SC_PY,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../test-support/dicom-validation.js';
import {
  analyseWithBrightSpot,
  rpc,
  startServerWithSpotScan,
  streamUrl,
  valueOf,
  type SpotScanServer,
} from './testing/test-server.js';

// A report version for a PACS: one ZIP of SEG, overlays and the report as Encapsulated PDF.
describe('GET /api/stream/reports.dicom?reportId=', () => {
  let ctx: SpotScanServer;

  beforeAll(async () => {
    requireDicomValidators();
    ctx = await startServerWithSpotScan('spot.png');
  });
  afterAll(() => ctx.cleanup());

  const download = (reportId: string, auth: string | null = ctx.token) =>
    fetch(streamUrl(ctx.server, 'reports.dicom', { reportId }), {
      headers: auth === null ? {} : { Authorization: `Bearer ${auth}` },
    });

  /** Downloads and unpacks the ZIP into its own folder; answers the folder and description. */
  async function unpacked(reportId: string, name: string) {
    const response = await download(reportId);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const description = reportDicomDescriptionSchema.parse(
      JSON.parse(response.headers.get(STREAM_DESCRIPTION_HEADER) ?? 'null'),
    );
    expect(response.headers.get('content-disposition')).toContain(
      `attachment; filename="${description.fileName}"`,
    );
    const zip = join(ctx.root, description.fileName);
    writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    const dir = join(ctx.root, name);
    mkdirSync(dir);
    execFileSync('unzip', ['-q', zip, '-d', dir]);
    return { dir, description };
  }

  it('refuses a caller without a session and an unknown report', async () => {
    expect((await download('00000000-0000-4000-8000-000000000001', null)).status).toBe(401);
    const unknown = await download('00000000-0000-4000-8000-000000000001');
    expect(unknown.status).toBe(404);
  });

  it('zips a valid SEG, overlay and Encapsulated PDF of the version, and audits it', async () => {
    await analyseWithBrightSpot(ctx.server, ctx.token, ctx.scanId);
    const draft = valueOf<Report>(
      await rpc(ctx.server, 'reports.create', { scanId: ctx.scanId }, ctx.token),
    );
    const drafted = await unpacked(draft.id, 'draft');
    expect(drafted.description.fileName).toBe('report_report_v1_DRAFT_DICOM.zip');
    // A PNG has no DICOM header: the notes say the UIDs were made up.
    expect(drafted.description.notes.join(' ')).toMatch(/the source is PNG, not DICOM/);
    expect(readdirSync(drafted.dir).sort()).toEqual([
      'overlay-0001.dcm',
      'report.dcm',
      'segmentation.dcm',
    ]);
    const draftPdf = runPython<{ title: string; mime: string }>(READ_PDF_PY, [
      join(drafted.dir, 'report.dcm'),
      join(drafted.dir, 'report.pdf'),
    ]);
    expect(draftPdf).toMatchObject({
      title: 'Neuroradiology report, version 1 (DRAFT)',
      mime: 'application/pdf',
    });
    expect(
      execFileSync('pdftotext', [join(drafted.dir, 'report.pdf'), '-'], { encoding: 'utf8' }),
    ).toContain('DRAFT, not signed');

    await rpc(ctx.server, 'reports.update', { id: draft.id, impression: 'Spot.' }, ctx.token);
    valueOf(await rpc(ctx.server, 'reports.sign', { id: draft.id }, ctx.token));
    const { dir, description } = await unpacked(draft.id, 'signed');
    expect(description.fileName).toBe('report_report_v1_DICOM.zip');
    for (const name of ['segmentation.dcm', 'overlay-0001.dcm', 'report.dcm']) {
      const found = validatorFindings(join(dir, name), EMPTY_TYPE2_WARNINGS);
      expect(found.errors, `${name}: ${found.output}`).toEqual([]);
      expect(found.unexplainedWarnings, `${name}: ${found.output}`).toEqual([]);
    }
    const seg = runPython<{ shape: number[] }>(DECODE_SEG_PY, [
      join(dir, 'segmentation.dcm'),
      join(dir, 'decoded.raw'),
    ]);
    expect(seg.shape).toEqual([1, 32, 32]);
    const { mask } = await ctx.server.core.analysis.outputs(ctx.scanId);
    expect(mask?.some((v) => v !== 0)).toBe(true);
    expect(readFileSync(join(dir, 'decoded.raw')).equals(Buffer.from(mask!))).toBe(true);
    const [overlay] = runPython<Array<{ red: number; sopClassUid: string }>>(READ_SC_PY, [
      join(dir, 'overlay-0001.dcm'),
    ]);
    expect(overlay?.red).toBeGreaterThan(0);
    const signedPdf = runPython<{ title: string; length: number }>(READ_PDF_PY, [
      join(dir, 'report.dcm'),
      join(dir, 'report.pdf'),
    ]);
    expect(signedPdf.title).toBe('Neuroradiology report, version 1');
    const text = execFileSync('pdftotext', [join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Spot.');
    expect(text).not.toContain('DRAFT, not signed');

    const audited = ctx.server.core.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'reports.export' AND target = ? ORDER BY rowid",
      )
      .all(draft.id) as Array<{ details: string }>;
    expect(audited.map((row) => JSON.parse(row.details) as unknown)).toEqual([
      {
        format: 'dicom',
        version: 1,
        status: 'draft',
        files: 3,
      },
      {
        format: 'dicom',
        version: 1,
        status: 'final',
        files: 3,
      },
    ]);
  });
});
