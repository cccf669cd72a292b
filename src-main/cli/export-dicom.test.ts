import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headWithSpot, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import {
  EMPTY_TYPE2_WARNINGS,
  makeTestPdf,
  requireDicomValidators,
  validatorFindings,
} from '../test-support/dicom-validation.js';
import { installFlairIdentityModel } from '../test-support/model-fixtures.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

let root: string;
let dataDir: string;
let env: Record<string, string>;
let scanId: string;

beforeAll(async () => {
  requireDicomValidators();
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-export-dicom-'));
  dataDir = join(root, 'data');
  const modelsDir = join(root, 'models');
  installFlairIdentityModel(modelsDir);
  env = { NEUROSPHERE_MODELS_DIR: modelsDir };
  writeDicomSeries(join(root, 'flair'), 4, {
    rows: 64,
    columns: 64,
    seriesDescription: 'AX FLAIR',
    pixel: headWithSpot,
  });
  const analysed = await runCliProcess(
    ['analyze', join(root, 'flair'), '--json', '--data-dir', dataDir],
    { env },
  );
  expect(analysed.code, analysed.stderr).toBe(0);
  scanId = (JSON.parse(analysed.stdout) as { inputs: Array<{ scanId: string }> }).inputs[0]!.scanId;
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const exportDicom = (...args: string[]) =>
  runCliProcess(['export-dicom', ...args, '--data-dir', dataDir], { env });

describe('neurosphere export-dicom', () => {
  it('writes a SEG, the overlays and the report PDF that dciodvfy accepts', async () => {
    const pdfPath = join(root, 'report.pdf');
    writeFileSync(pdfPath, await makeTestPdf('CLI report'));
    const out = join(root, 'pacs');
    const run = await exportDicom(scanId, '--out', out, '--report-pdf', pdfPath, '--json');
    expect(run.code, run.stderr).toBe(0);
    const written = JSON.parse(run.stdout) as {
      segmentation: string;
      overlays: string[];
      report: string;
      notes: string[];
    };
    expect(written.overlays).toHaveLength(4);
    expect(readdirSync(out).sort()).toEqual([
      'overlay-0001.dcm',
      'overlay-0002.dcm',
      'overlay-0003.dcm',
      'overlay-0004.dcm',
      'report.dcm',
      'segmentation.dcm',
    ]);
    for (const path of [written.segmentation, written.report, ...written.overlays]) {
      const report = validatorFindings(path, EMPTY_TYPE2_WARNINGS);
      expect(report.errors, report.output).toEqual([]);
      expect(report.unexplainedWarnings, report.output).toEqual([]);
    }
  }, 60_000);

  it('says what is wrong with a bad scan id, a missing --out and an unknown scan', async () => {
    const usage = await exportDicom('not-an-id', '--out', join(root, 'x'));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/export-dicom takes a scan id/);
    const noOut = await exportDicom(scanId);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/needs --out DIR/);
    const unknown = await exportDicom(
      '00000000-0000-4000-8000-000000000000',
      '--out',
      join(root, 'y'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No such scan/);
    const noPdf = await exportDicom(
      scanId,
      '--out',
      join(root, 'z'),
      '--report-pdf',
      join(root, 'none.pdf'),
    );
    expect(noPdf.code).toBe(1);
    expect(noPdf.stderr).toMatch(/Cannot read the report PDF .*none\.pdf \(ENOENT\)/);
  }, 60_000);
});
