import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  patientToVoxel,
  rasToLps,
  voxelToPatient,
  type Affine,
} from '../../../src-shared/geometry/affine.js';
import { voxelPoint } from '../../../src-shared/geometry/units.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';
import { asScanId, type ScanId } from '../../../src-shared/ids.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import { decodePng } from '../imaging/png-decode.js';
import { niftiAffineRas } from '../imaging/nifti/nifti-geometry.js';
import { readNiftiHeader } from '../imaging/nifti/nifti-header.js';
import { analysisFiles } from './analysis-files.js';

const hasUnzip = existsSync('/usr/bin/unzip');

/** Every entry of a ZIP as read by Python's zipfile (an independent reader that checks CRCs). */
function unzipWithPython(path: string): Map<string, Buffer> {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None, "bad CRC"',
    'print(json.dumps({i.filename: z.read(i).hex() for i in z.infolist()}))',
  ].join('\n');
  const out = execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' });
  const entries = JSON.parse(out) as Record<string, string>;
  return new Map(Object.entries(entries).map(([name, hex]) => [name, Buffer.from(hex, 'hex')]));
}

/** The voxel-to-LPS affine a NIfTI file declares (sform, else qform). */
function lpsAffineOf(nifti: Uint8Array): Affine {
  return rasToLps(niftiAffineRas(readNiftiHeader(nifti)).affine);
}

describe('core.exports with a real core and a real analysis', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array): string => {
    const path = join(t.inputDir, name);
    writeFileSync(path, data);
    return path;
  };
  async function importAndAnalyse(path: string): Promise<ScanId> {
    const { report } = await runImport(t, token, [path]);
    const scanId = asScanId(report.scanIds[0]!);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    return scanId;
  }

  // Stored transposed (i runs posterior, j to the patient's right), tilted 0.05 rad about S,
  // with anisotropic voxels: the scan's grid (and so the mask's) is re-ordered to L, P, S, and
  // the exported NIfTI must still put every voxel where the input had it.
  const tilt = 0.05;
  const rotate = ([x, y, z]: Vector3): Vector3 => [
    Math.cos(tilt) * x - Math.sin(tilt) * y,
    Math.sin(tilt) * x + Math.cos(tilt) * y,
    z,
  ];
  const columns = [rotate([0, -0.9, 0]), rotate([1.1, 0, 0]), rotate([0, 0, 2.5])];
  const SFORM: [number[], number[], number[]] = [0, 1, 2].map((r) => [
    columns[0]![r]!,
    columns[1]![r]!,
    columns[2]![r]!,
    [30, -20, 15][r]!,
  ]) as [number[], number[], number[]];
  const isBlock = (i: number, j: number, k: number): boolean => i < 8 && j < 8 && k === 1;
  const inputVoxel = (i: number, j: number, k: number): number =>
    isBlock(i, j, k) ? 250 : k === 2 && i === 0 ? 100 : 60;

  it('bundles a volume mask as NIfTI on the input geometry, with the results JSON', async () => {
    const input = makeNifti({ dims: [16, 16, 3], sform: SFORM, voxel: inputVoxel });
    const scanId = await importAndAnalyse(write('t2.nii', input));

    const bundle = await t.core.exports.analysisBundle(scanId);
    expect(bundle.fileName).toBe('t2_analysis.zip');
    expect(bundle.mimeType).toBe('application/zip');
    expect(bundle.warnings).toEqual([]);
    const zipPath = join(t.root, bundle.fileName);
    writeFileSync(zipPath, bundle.bytes);
    const entries = unzipWithPython(zipPath);
    expect([...entries.keys()]).toEqual(['t2_mask.nii.gz', 't2_results.json']);
    if (hasUnzip)
      expect(execFileSync('unzip', ['-p', zipPath, 't2_mask.nii.gz'])).toEqual(
        entries.get('t2_mask.nii.gz'),
      );

    // The results are the analysis as the contract returns it.
    const analysis = await t.ok('analysis.get', { scanId }, token);
    expect(JSON.parse(entries.get('t2_results.json')!.toString('utf8'))).toEqual(analysis);

    const nifti = gunzipSync(entries.get('t2_mask.nii.gz')!);
    const header = readNiftiHeader(nifti);
    expect(header.dims.slice(0, 3)).toEqual(analysis.input.dimensions);
    expect(header.datatype).toBe(2); // uint8
    const mask = nifti.subarray(352);
    expect(new Set(mask)).toEqual(new Set([0, 1]));

    // Each mask voxel, placed by the mask's own header, lands on an input voxel centre, and the
    // labelled ones on the bright block of the input.
    const maskAffine = lpsAffineOf(nifti);
    const inputAffine = lpsAffineOf(input);
    const [nx, ny, nz] = analysis.input.dimensions;
    let labelled = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const at = voxelToPatient(maskAffine, voxelPoint([i, j, k]));
          const source = patientToVoxel(inputAffine, at).map((v) => {
            expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-3);
            return Math.round(v);
          }) as Vector3;
          source.forEach((v, axis) => expect(v >= 0 && v < [16, 16, 3][axis]!).toBe(true));
          if (mask[i + nx * (j + ny * k)] === 1) {
            labelled++;
            expect(inputVoxel(...source)).toBe(250);
          }
        }
    expect(labelled).toBeGreaterThan(40);
  });

  it('exports a 2D picture mask as a 0/1 PNG, named after the picture', async () => {
    const spot = (x: number, y: number): number => (Math.hypot(x - 20, y - 24) < 8 ? 240 : 40);
    const scanId = await importAndAnalyse(write('spot.png', makePng(64, 64, spot)));

    const exported = await t.core.exports.analysisResults(scanId);
    expect(exported.files.map((file) => [file.kind, file.name, file.mimeType])).toEqual([
      ['mask', 'spot_mask.png', 'image/png'],
      ['results', 'spot_results.json', 'application/json'],
    ]);
    const png = decodePng(exported.files[0]!.bytes);
    expect(png).toMatchObject({ columns: 64, rows: 64, samplesPerPixel: 1 });
    expect(new Set(png.data)).toEqual(new Set([0, 1]));
    expect(png.data[20 + 64 * 24]).toBe(1);

    const bundle = await t.core.exports.analysisBundle(scanId);
    expect(bundle.fileName).toBe('spot_analysis.zip');
    const zipPath = join(t.root, bundle.fileName);
    writeFileSync(zipPath, bundle.bytes);
    expect(unzipWithPython(zipPath).get('spot_mask.png')).toEqual(exported.files[0]!.bytes);
  });

  it('says why there is nothing to export', async () => {
    const { report } = await runImport(t, token, [write('plain.png', makePng(16, 16))]);
    await expect(t.core.exports.analysisBundle(asScanId(report.scanIds[0]!))).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
        message: expect.stringMatching(/not been analysed/),
      },
    );
    await expect(
      t.core.exports.analysisBundle(asScanId('00000000-0000-4000-8000-0000000000ff')),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/No such scan/) });
  });
});

describe('analysisFiles', () => {
  it('names every output after the base name, in a fixed order, and only what exists', () => {
    const heatmapPng = Buffer.from('heatmap');
    const overlayPng = Buffer.from('overlay');
    const scan = {
      kind: 'image',
      dims: null,
      spacing: null,
      origin: null,
      direction: null,
    } as unknown as Parameters<typeof analysisFiles>[0]['scan'];
    const all = analysisFiles({
      baseName: 'AX_FLAIR',
      scan,
      dims: [2, 1, 1],
      outputs: { mask: Uint8Array.from([0, 3]), heatmapPng, overlayPng },
    });
    expect(all.files.map((file) => file.name)).toEqual([
      'AX_FLAIR_mask.png',
      'AX_FLAIR_heatmap.png',
      'AX_FLAIR_overlay.png',
    ]);
    expect([...decodePng(all.files[0]!.bytes).data]).toEqual([0, 1]);
    const none = analysisFiles({
      baseName: 'x',
      scan,
      dims: [2, 1, 1],
      outputs: { mask: null, heatmapPng: null, overlayPng: null },
    });
    expect(none.files).toEqual([]);
    expect(none.warnings).toEqual([expect.stringContaining('mask is missing')]);
  });
});
