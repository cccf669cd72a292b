import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src-shared/contract/analysis.js';
import { decodePng } from '../core/imaging/png-decode.js';
import { fixtureUid, makeDicom, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { makePng } from '../test-support/image-fixtures.js';
import { installBrightSpotModel, installTestModel } from '../test-support/model-fixtures.js';
import { makeNifti } from '../test-support/volume-fixtures.js';
import { collect, ensureBuilt, runCliProcess, spawnCli, waitForLine } from './testing/run-cli.js';
import { brainTumourFindings } from '../../src-shared/contract/analysis.js';

interface InputDocument {
  paths: string[];
  scanId: string | null;
  status: 'completed' | 'failed' | 'rejected';
  error?: { code: string; message: string };
  jobId?: string;
  analysis?: Analysis;
  outputs?: { mask: string | null; heatmap: string | null; overlay: string | null };
}

interface AnalyzeDocument {
  importJobId: string | null;
  inputs: InputDocument[];
  models: { segmentation: { id: string; version: string }; classification: unknown };
  provider: string | null;
}

/** The header fields a research tool reads from the mask, and the voxels after it. */
function readNiftiMask(path: string) {
  const file = gunzipSync(readFileSync(path));
  const float = (offset: number): number => file.readFloatLE(offset);
  return {
    sizeofHdr: file.readInt32LE(0),
    dims: [0, 1, 2, 3].map((i) => file.readInt16LE(40 + 2 * i)),
    datatype: file.readInt16LE(70),
    pixdim: [1, 2, 3].map((i) => float(76 + 4 * i)),
    voxOffset: float(108),
    sformCode: file.readInt16LE(254),
    srows: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => float(280 + 16 * r + 4 * c))),
    magic: file.toString('latin1', 344, 347),
    voxels: file.subarray(352),
  };
}

const distinct = (values: Iterable<number>): number[] => [...new Set(values)].sort();

/** A 64×64 picture: a faint head-shaped disc with one bright 12×12 spot (x, y in 14..25). */
const spotPixel = (x: number, y: number): number => {
  if ((x - 32) ** 2 + (y - 32) ** 2 > 30 ** 2) return 0;
  return x >= 14 && x < 26 && y >= 14 && y < 26 ? 250 : 60;
};

let root: string;
let dataDir: string;
let incoming: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-analyze-'));
  dataDir = join(root, 'data');
  incoming = join(root, 'incoming');
  mkdirSync(incoming);
  const modelsDir = join(root, 'models');
  // Output = input: "tumour" is exactly where the normalised image is bright.
  installBrightSpotModel(modelsDir);
  installTestModel(modelsDir, 'tampered', { manifest: { sha256: 'f'.repeat(64) } });
  env = { NEUROSPHERE_MODELS_DIR: modelsDir };
  writeFileSync(join(incoming, 'spot.png'), makePng(64, 64, spotPixel));
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const analyze = (...args: string[]) =>
  runCliProcess(['analyze', ...args, '--data-dir', dataDir, '--model', 'bright-spot'], { env });

async function analyzeJson(
  ...args: string[]
): Promise<{ code: number | null; stderr: string; document: AnalyzeDocument }> {
  const run = await analyze(...args, '--json');
  return {
    code: run.code,
    stderr: run.stderr,
    document: JSON.parse(run.stdout) as AnalyzeDocument,
  };
}

async function scanCount(): Promise<number> {
  const run = await runCliProcess(['scans', 'list', '--json', '--data-dir', dataDir]);
  return (JSON.parse(run.stdout) as { total: number }).total;
}

describe('neurosphere analyze', () => {
  it('imports a PNG, finds the bright spot and writes a 0/1 mask PNG named after it', async () => {
    const out = join(root, 'out-png');
    const { code, stderr, document } = await analyzeJson(
      join(incoming, 'spot.png'),
      '--classifier',
      'none',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/Analysis 1 of 1 .*: .* · \d+%/);
    expect(document.models).toEqual({
      segmentation: { id: 'bright-spot', version: '0.0.1' },
      classification: null,
    });
    expect(document.provider).toBe('cpu');
    expect(document.importJobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.inputs).toHaveLength(1);
    const [input] = document.inputs;
    expect(input).toMatchObject({
      paths: [join(incoming, 'spot.png')],
      scanId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'completed',
      outputs: { mask: join(out, 'spot_mask.png'), heatmap: null, overlay: null },
    });
    const analysis = input?.analysis;
    expect(analysis).toMatchObject({
      scanId: input?.scanId,
      jobId: input?.jobId,
      findings: { kind: 'brain-tumour', tumourDetected: true, classification: null },
      provider: 'cpu',
      input: { format: 'png', dimensions: [64, 64, 1], units: 'pixels' },
    });
    expect(brainTumourFindings(analysis!)?.detections).toHaveLength(1);
    expect(brainTumourFindings(analysis!)?.detections[0]).toMatchObject({
      units: 'pixels',
      metrics: { kind: 'slice' },
      size: expect.stringMatching(/px/),
    });
    expect(analysis?.timings.totalMs).toBeGreaterThan(0);

    const mask = decodePng(readFileSync(join(out, 'spot_mask.png')));
    expect(mask).toMatchObject({ columns: 64, rows: 64, samplesPerPixel: 1, dtype: 'uint8' });
    expect(distinct(mask.data)).toEqual([0, 1]);
    expect(mask.data[20 * 64 + 20]).toBe(1);
    // Every 1 lies on the spot (allowing the model's 8×8 grid a pixel or two of blur).
    mask.data.forEach((value, i) => {
      if (value === 0) return;
      expect([i % 64, Math.floor(i / 64)].every((v) => v >= 12 && v <= 27)).toBe(true);
    });
  });

  it('normalises PNG slices of one folder together, as slices of one series', async () => {
    // Alone, the 150 spot is its slice's brightest part; beside a slice reaching 255 it is not.
    const folder = join(root, 'png-series');
    mkdirSync(folder);
    const spot = (x: number, y: number): number =>
      x >= 10 && x < 20 && y >= 10 && y < 20 ? 150 : 60;
    writeFileSync(join(folder, 'case_10.png'), makePng(32, 32, spot));
    writeFileSync(
      join(folder, 'case_11.png'),
      makePng(32, 32, () => 255),
    );
    const alone = join(root, 'png-alone');
    mkdirSync(alone);
    writeFileSync(
      join(alone, 'case_10.png'),
      makePng(32, 32, (x, y) => spot(x, y) + 1),
    );

    const series = await analyzeJson(folder, '--classifier', 'none');
    expect(series.code).toBe(0);
    const spotResult = series.document.inputs.find((i) => i.paths[0]?.endsWith('case_10.png'));
    expect(brainTumourFindings(spotResult!.analysis!)?.tumourDetected).toBe(false);
    expect(spotResult?.analysis?.notes).toMatch(/normalised over this image and 1 other slice/);

    const single = await analyzeJson(alone, '--classifier', 'none');
    expect(brainTumourFindings(single.document.inputs[0]!.analysis!)?.tumourDetected).toBe(true);
  });

  it('refuses a forced GPU provider that this machine lacks instead of quietly using the CPU', async () => {
    const run = await runCliProcess(
      [
        'analyze',
        join(incoming, 'spot.png'),
        '--classifier',
        'none',
        '--data-dir',
        dataDir,
        '--model',
        'bright-spot',
      ],
      { env: { ...env, NEUROSPHERE_EXECUTION_PROVIDER: 'cuda' } },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/CUDA could not be used/);
  });

  it('analyses the stored scan again when the same file is given twice, in readable text', async () => {
    const before = await scanCount();
    const first = await analyzeJson(join(incoming, 'spot.png'), '--classifier', 'none');
    const run = await analyze(join(incoming, 'spot.png'), '--classifier', 'none');
    expect(run.code).toBe(0);
    expect(await scanCount()).toBe(before);
    const scanId = first.document.inputs[0]?.scanId ?? '?';
    expect(run.stdout).toContain(`${join(incoming, 'spot.png')}\n`);
    expect(run.stdout).toMatch(new RegExp(`Scan +${scanId}\\n`));
    expect(run.stdout).toMatch(/Tumour +yes: 1 lesion\n/);
    expect(run.stdout).toMatch(
      /Lesion 1 +\d+ × \d+ px \(area \d+ px²\) · diameter [\d.]+ px · .*approximate.* · confidence \d+%\n/,
    );
    expect(run.stdout).toMatch(/Provider +cpu · [\d.]+ m?s\n/);
    expect(run.stderr).toMatch(/Import completed: 0 imported, 1 duplicate/);
    // What the lesion's confidence number is, once, after the results.
    expect(run.stderr).toMatch(/Note: A lesion’s confidence is the segmentation model’s average/);
    expect(run.stderr).toContain('1 analysed (1 with a tumour), 0 failed, 0 rejected.');
  });

  it('writes a DICOM series mask as .nii.gz in the series geometry, named after its folder', async () => {
    const series = join(incoming, 'AX_FLAIR');
    // An oblique series: rows run left-posterior, columns to the feet, slices 2 mm apart along
    // the normal from (10, -20, 30). Its direction matrix is not symmetric, so a transposed matrix
    // or a wrong LPS → RAS sign shows in the sform.
    mkdirSync(series);
    const [studyUid, seriesUid] = [fixtureUid(), fixtureUid()];
    // Rounded: dcmjs truncates decimal strings longer than 16 characters.
    const along = (start: number, step: number, i: number): number =>
      Math.round((start + 2 * i * step) * 1000) / 1000;
    for (let i = 0; i < 8; i++)
      writeFileSync(
        join(series, `IM${i + 1}.dcm`),
        makeDicom({
          studyInstanceUid: studyUid,
          seriesInstanceUid: seriesUid,
          instanceNumber: i + 1,
          rows: 32,
          columns: 32,
          pixelSpacing: [0.5, 0.6],
          imageOrientation: [0.8, 0.6, 0, 0, 0, -1],
          imagePosition: [along(10, -0.6, i), along(-20, 0.8, i), 30],
          pixel: (r, c) => (r >= 10 && r < 20 && c >= 12 && c < 20 ? 3000 : 400),
        }),
      );
    const out = join(root, 'out-series');
    const { code, document } = await analyzeJson(series, '--classifier', 'none', '--out', out);
    expect(code).toBe(0);
    const [input] = document.inputs;
    expect(input?.paths).toHaveLength(8);
    expect(input?.analysis).toMatchObject({
      findings: { tumourDetected: true },
      input: { format: 'dicom', dimensions: [32, 32, 8], voxelSizes: [0.6, 0.5, 2], units: 'mm' },
    });
    expect(brainTumourFindings(input!.analysis!)?.detections[0]?.metrics.kind).toBe('volume');
    expect(input?.outputs?.mask).toBe(join(out, 'AX_FLAIR_mask.nii.gz'));

    const nifti = readNiftiMask(join(out, 'AX_FLAIR_mask.nii.gz'));
    expect(nifti).toMatchObject({
      sizeofHdr: 348,
      dims: [3, 32, 32, 8],
      datatype: 2, // uint8
      voxOffset: 352,
      sformCode: 2,
      magic: 'n+1',
    });
    expect(nifti.pixdim[0]).toBeCloseTo(0.6, 6); // column spacing
    expect(nifti.pixdim[1]).toBeCloseTo(0.5, 6); // row spacing
    expect(nifti.pixdim[2]).toBeCloseTo(2, 6);
    // Column i: 0.6 mm along LPS (0.8, 0.6, 0) = RAS (-0.48, -0.36, 0); row j: 0.5 mm along
    // LPS (0, 0, -1); slice k: 2 mm along LPS (-0.6, 0.8, 0) = RAS (1.2, -1.6, 0); voxel 0 at
    // LPS (10, -20, 30) = RAS (-10, 20, 30).
    const expected = [
      [-0.48, 0, 1.2, -10],
      [-0.36, 0, -1.6, 20],
      [0, -0.5, 0, 30],
    ];
    nifti.srows.forEach((row, r) =>
      row.forEach((value, c) => expect(value).toBeCloseTo(expected[r]![c]!, 5)),
    );
    expect(nifti.voxels).toHaveLength(32 * 32 * 8);
    expect(distinct(nifti.voxels)).toEqual([0, 1]);
    for (let k = 0; k < 8; k++) {
      expect(nifti.voxels[k * 1024 + 15 * 32 + 15]).toBe(1); // row 15, column 15
      expect(nifti.voxels[k * 1024 + 2 * 32 + 2]).toBe(0);
    }
  });

  it('keeps a NIfTI input geometry and drops .nii.gz from the name', async () => {
    // Voxel axes already point left, posterior, superior: the stored scan keeps this voxel order.
    const sform: [number[], number[], number[]] = [
      [-2, 0, 0, 30],
      [0, -1.5, 0, 20],
      [0, 0, 3, -10],
    ];
    writeFileSync(
      join(incoming, 'brain.nii.gz'),
      makeNifti({
        dims: [24, 20, 6],
        sform,
        gzip: true,
        voxel: (i, j) => (i >= 8 && i < 16 && j >= 6 && j < 14 ? 3000 : 300),
      }),
    );
    const out = join(root, 'out-nifti');
    const { code, document } = await analyzeJson(join(incoming, 'brain.nii.gz'), '--out', out);
    expect(code).toBe(0);
    expect(document.inputs[0]?.outputs?.mask).toBe(join(out, 'brain_mask.nii.gz'));
    const nifti = readNiftiMask(join(out, 'brain_mask.nii.gz'));
    expect(nifti.dims).toEqual([3, 24, 20, 6]);
    nifti.srows.forEach((row, r) =>
      row.forEach((value, c) => expect(value).toBeCloseTo(sform[r]![c]!, 5)),
    );
    expect(distinct(nifti.voxels)).toEqual([0, 1]);
    expect(nifti.voxels[3 * 480 + 10 * 24 + 12]).toBe(1);
  });

  it('analyses an imported scan by id with --scan, naming the outputs after its file', async () => {
    const first = await analyzeJson(join(incoming, 'spot.png'), '--classifier', 'none');
    const scanId = first.document.inputs[0]?.scanId ?? '?';
    const out = join(root, 'out-by-id');
    const { code, document } = await analyzeJson(
      '--scan',
      scanId,
      '--classifier',
      'none',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(document.importJobId).toBeNull();
    expect(document.inputs).toEqual([
      expect.objectContaining({ scanId, status: 'completed', paths: [join(incoming, 'spot.png')] }),
    ]);
    expect(existsSync(join(out, 'spot_mask.png'))).toBe(true);

    const unknown = await analyze('--scan', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No scan has the id 00000000-0000-4000-8000-000000000000');
  });

  it('gives clashing names a numeric suffix', async () => {
    for (const [folder, brightness] of [
      ['ward-a', 250],
      ['ward-b', 240],
    ] as const) {
      mkdirSync(join(incoming, folder));
      writeFileSync(
        join(incoming, folder, 'scan.png'),
        makePng(64, 64, (x, y) => (spotPixel(x, y) === 250 ? brightness : spotPixel(x, y))),
      );
    }
    const out = join(root, 'out-clash');
    const { code, document } = await analyzeJson(
      join(incoming, 'ward-a', 'scan.png'),
      join(incoming, 'ward-b', 'scan.png'),
      '--classifier',
      'none',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(document.inputs.map((input) => input.outputs?.mask)).toEqual([
      join(out, 'scan_mask.png'),
      join(out, 'scan-2_mask.png'),
    ]);
  });

  it('reports a corrupt file and analyses the others (exit 1)', async () => {
    const mixed = join(root, 'mixed');
    mkdirSync(mixed);
    writeFileSync(
      join(mixed, 'a.png'),
      makePng(64, 64, (x, y) => spotPixel(63 - x, y)),
    );
    writeFileSync(join(mixed, 'broken.dcm'), makeDicom().subarray(0, 300));
    writeFileSync(
      join(mixed, 'c.png'),
      makePng(64, 64, (x, y) => spotPixel(x, 63 - y)),
    );
    const { code, stderr, document } = await analyzeJson(mixed, '--classifier', 'none');
    expect(code).toBe(1);
    const byName = (name: string) => document.inputs.find((i) => i.paths[0] === join(mixed, name));
    expect(document.inputs).toHaveLength(3);
    expect(byName('a.png')).toMatchObject({
      status: 'completed',
      analysis: { findings: { tumourDetected: true } },
    });
    expect(byName('c.png')).toMatchObject({ status: 'completed' });
    expect(byName('broken.dcm')).toMatchObject({
      status: 'rejected',
      scanId: null,
      error: { code: 'CORRUPT_FILE', message: expect.stringMatching(/\w{5,}/) },
    });
    expect(stderr).toContain('2 analysed (2 with a tumour), 0 failed, 1 rejected.');
    expect(stderr).toMatch(/Not analysed:\n {2}rejected +.*broken\.dcm\n +CORRUPT_FILE: /);
  });

  it('analyses the stored scan for a re-encoded copy of its images (same SOP Instance UIDs)', async () => {
    const uid = '1.2.826.0.1.3680043.8.498.424242';
    const original = join(root, 'original');
    writeDicomSeries(original, 3, { seriesInstanceUid: uid });
    const first = await analyzeJson(original, '--classifier', 'none');
    expect(first.code).toBe(0);
    // The same SOP Instance UIDs with other bytes: the import recognises the images and their scan.
    const copy = join(root, 'reexported');
    writeDicomSeries(copy, 3, { seriesInstanceUid: uid, patientName: 'Re^Exported' });
    const before = await scanCount();
    const { code, document } = await analyzeJson(copy, '--classifier', 'none');
    expect(code).toBe(0);
    expect(await scanCount()).toBe(before);
    expect(document.inputs).toEqual([
      expect.objectContaining({ status: 'completed', scanId: first.document.inputs[0]?.scanId }),
    ]);
  });

  it('stops before importing when the model is not installed or does not verify (exit 1)', async () => {
    const folder = join(root, 'never-imported');
    mkdirSync(folder);
    writeFileSync(join(folder, 'new.png'), makePng(32, 32));
    const before = await scanCount();

    const missing = await runCliProcess(
      ['analyze', folder, '--model', 'not-installed', '--data-dir', dataDir],
      { env },
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('Model "not-installed" is not installed.');
    expect(missing.stderr).toContain('Installed segmentation models: bright-spot.');

    const tampered = await runCliProcess(
      ['analyze', folder, '--model', 'tampered', '--data-dir', dataDir, '--json'],
      { env },
    );
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('Model "tampered" cannot be used');
    expect(tampered.stdout).toBe('');
    expect(await scanCount()).toBe(before);
  });

  it('refuses a missing path before anything runs, and usage errors with exit 2', async () => {
    const missing = await analyze(join(root, 'no-such-file.png'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No such file or folder: ${join(root, 'no-such-file.png')}`);

    const nothing = await runCliProcess(['analyze', '--data-dir', dataDir]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('analyze needs at least one file or folder, or --scan ID.');
    expect(nothing.stderr).toContain('Usage: neurosphere analyze <paths...>');
    const badModel = await runCliProcess(['analyze', 'x.png', '--model', 'My Model']);
    expect(badModel.code).toBe(2);
    const badFlag = await runCliProcess(['analyze', 'x.png', '--mask-format', 'png']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--mask-format');
  });

  it('cancels the running analysis on Ctrl-C and exits 130', async () => {
    const big = join(root, 'big');
    writeDicomSeries(big, 200, {
      rows: 64,
      columns: 64,
      pixel: (r, c) => (r >= 20 && r < 40 && c >= 20 && c < 40 ? 3000 : 400),
    });
    const child = spawnCli(
      ['analyze', big, '--model', 'bright-spot', '--json', '--data-dir', dataDir],
      env,
    );
    const exited = collect(child);
    if (child.stderr === null) throw new Error('no stderr');
    await waitForLine(child.stderr, /^Analysis 1 of 1 .*Segmenting/);
    child.kill('SIGINT');
    const run = await exited;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Cancelling the analysis');
    const document = JSON.parse(run.stdout) as AnalyzeDocument;
    expect(document.inputs).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'CANCELLED' }),
      }),
    ]);
    const scans = await runCliProcess([
      'scans',
      'show',
      document.inputs[0]?.scanId ?? '?',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    // A cancelled analysis leaves the scan as it was: imported, not failed.
    expect((JSON.parse(scans.stdout) as { scan: { status: string } }).scan.status).toBe('imported');
  }, 120_000);
});
