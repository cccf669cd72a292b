import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headWithSpot, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import {
  EMPTY_TYPE2_WARNINGS,
  READ_PDF_PY,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../test-support/dicom-validation.js';
import { installFlairIdentityModel } from '../test-support/model-fixtures.js';
import type { AnalyzeDocument } from './analyze/result.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

let root: string;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-report-cli-'));
  dataDir = join(root, 'data');
  const modelsDir = join(root, 'models');
  mkdirSync(modelsDir);
  installFlairIdentityModel(modelsDir);
  env = { NEUROSPHERE_MODELS_DIR: modelsDir };
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliProcess([...args, '--data-dir', dataDir], { env });

function flairSeries(name: string, patientName: string): string {
  const dir = join(root, 'incoming', name);
  writeDicomSeries(dir, 4, {
    rows: 64,
    columns: 64,
    patientName,
    patientId: `MRN-${name}`,
    seriesDescription: 'AX FLAIR',
    extraAttributes: { BodyPartExamined: 'BRAIN' },
    pixel: headWithSpot,
  });
  return dir;
}

const textOf = (path: string): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });

describe('neurosphere report and analyze --report', () => {
  it("analyze --report writes one PDF per analysed scan; report writes a scan's PDF", async () => {
    const reports = join(root, 'reports');
    const run = await cli(
      'analyze',
      flairSeries('a', 'Alpha^Ann'),
      flairSeries('b', 'Beta^Bob'),
      '--report',
      reports,
      '--classifier',
      'none',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as AnalyzeDocument;
    expect(document.inputs.map((input) => input.report)).toEqual([
      join(reports, 'a_report.pdf'),
      join(reports, 'b_report.pdf'),
    ]);
    expect(readdirSync(reports).sort()).toEqual(['a_report.pdf', 'b_report.pdf']);
    const first = textOf(join(reports, 'a_report.pdf'));
    expect(first).toContain('Alpha, Ann');
    expect(first).toContain('DRAFT');
    expect(first).toContain('Research and decision support only');

    const scanId = document.inputs[1]?.scanId as string;
    const out = join(root, 'single', 'beta.pdf');
    const single = await cli('report', scanId, '--out', out);
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toBe(`Wrote ${out}: report version 1 (draft, not signed).\n`);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(textOf(out)).toContain('Beta, Bob');

    // To a folder: the report's own name. The same draft (version 1), not a second report.
    const folder = join(root, 'single');
    const named = await cli('report', scanId, '--out', folder, '--json');
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({
      scanId,
      version: 1,
      status: 'draft',
      file: join(folder, 'Beta_Bob_report_v1_DRAFT.pdf'),
    });
  }, 120_000);

  it('report --dicom writes a valid SEG and the PDF written to --out as Encapsulated PDF', async () => {
    requireDicomValidators();
    const run = await cli(
      'analyze',
      flairSeries('d', 'Delta^Dora'),
      '--classifier',
      'none',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const scanId = (JSON.parse(run.stdout) as AnalyzeDocument).inputs[0]?.scanId as string;
    const out = join(root, 'pacs', 'delta.pdf');
    const dicom = join(root, 'pacs', 'dicom');
    const report = await cli('report', scanId, '--out', out, '--dicom', dicom);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`Segmentation (DICOM SEG): ${join(dicom, 'segmentation.dcm')}`);
    expect(report.stdout).toContain(`Report (Encapsulated PDF): ${join(dicom, 'report.dcm')}`);
    const files = readdirSync(dicom);
    expect(files).toContain('segmentation.dcm');
    expect(files).toContain('report.dcm');
    expect(files.some((name) => /^overlay-\d{4}\.dcm$/.test(name))).toBe(true);
    for (const name of ['segmentation.dcm', 'report.dcm']) {
      // The fixture series has no Study Time or Study ID: written empty (Type 2), as explained.
      const found = validatorFindings(join(dicom, name), EMPTY_TYPE2_WARNINGS);
      expect(found.errors, `${name}: ${found.output}`).toEqual([]);
      expect(found.unexplainedWarnings, `${name}: ${found.output}`).toEqual([]);
    }
    const readBack = join(root, 'pacs', 'read-back.pdf');
    const document = runPython<{ title: string; patientName: string }>(READ_PDF_PY, [
      join(dicom, 'report.dcm'),
      readBack,
    ]);
    expect(document).toMatchObject({
      title: 'Neuroradiology report, version 1 (DRAFT)',
      patientName: 'Delta^Dora',
    });
    expect(readFileSync(readBack).equals(readFileSync(out))).toBe(true);
  }, 120_000);

  it('says what is wrong: an unknown scan, a scan not analysed yet, a malformed id', async () => {
    const unknown = await cli('report', '00000000-0000-4000-8000-00000000ffff');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'No scan has the id 00000000-0000-4000-8000-00000000ffff (see "neurosphere scans list").',
    );

    const imported = await cli('import', flairSeries('c', 'Gamma^Cy'), '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const scanId = (JSON.parse(imported.stdout) as { report: { scanIds: string[] } }).report
      .scanIds[0] as string;
    const notAnalysed = await cli('report', scanId, '--out', join(root, 'x.pdf'));
    expect(notAnalysed.code).toBe(1);
    expect(notAnalysed.stderr).toContain('has not been analysed yet: analyse it first');
    expect(notAnalysed.stderr).toContain(`neurosphere analyze --scan ${scanId}`);

    const malformed = await cli('report', 'not-an-id');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('report takes a scan id');
  }, 120_000);
});
