import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Scan } from '../../../src-shared/contract/entities.js';
import { isAppError } from '../../../src-shared/errors.js';
import { decodePng } from '../../core/imaging/png-decode.js';
import { addScans, planInputs, SAME_IMAGE_OTHER_FILE } from './inputs.js';
import { encodeMaskFile, niftiGeometryOf } from '../../core/exports/mask-file.js';
import { chooseModels } from './models.js';
import {
  createNameAllocator,
  outputBaseName,
  stripExtension,
} from '../../core/exports/output-names.js';
import { exitCodeOf, type InputResult } from './result.js';
import { writeAnalysisOutputs } from './write-outputs.js';

const SCAN_A = '00000000-0000-4000-8000-00000000000a';
const SCAN_B = '00000000-0000-4000-8000-00000000000b';

function scan(overrides: Partial<Scan>): Scan {
  return {
    id: SCAN_A,
    patientId: null,
    patientName: null,
    patientMrn: null,
    studyId: null,
    seriesId: null,
    kind: 'series',
    format: 'dicom',
    modality: 'MR',
    description: null,
    status: 'completed',
    rows: 2,
    columns: 3,
    slices: 2,
    spacing: [0.5, 0.7, 3],
    acquiredAt: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    dims: [3, 2, 2],
    origin: [1, 2, 3],
    direction: [
      [0, 1, 0],
      [0, 0, -1],
      [1, 0, 0],
    ],
    warnings: [],
    ...overrides,
  };
}

describe('output names', () => {
  it('drops the extension, and .nii.gz as a whole', () => {
    expect(stripExtension('brain.nii.gz')).toBe('brain');
    expect(stripExtension('BRAIN.NII.GZ')).toBe('BRAIN');
    expect(stripExtension('slice.png')).toBe('slice');
    expect(stripExtension('scan.v2.dcm')).toBe('scan.v2');
    expect(stripExtension('IM0001')).toBe('IM0001');
    expect(stripExtension('.hidden')).toBe('.hidden');
  });

  it('names a file after itself and a series after its folder', () => {
    expect(outputBaseName(['/in/slice.png'], 'x')).toBe('slice');
    expect(outputBaseName(['/cd/AX_FLAIR/IM1', '/cd/AX_FLAIR/IM2'], 'x')).toBe('AX_FLAIR');
    expect(outputBaseName(['/a/IM1.dcm', '/b/IM2.dcm'], 'x')).toBe('IM1');
    expect(outputBaseName(['/IM1', '/IM2'], 'fallback')).toBe('fallback');
    expect(outputBaseName([], 'scan-1234')).toBe('scan-1234');
  });

  it('numbers clashes, ignoring case', () => {
    const nameFor = createNameAllocator();
    expect(['scan', 'Scan', 'scan-2', 'scan', 'other'].map(nameFor)).toEqual([
      'scan',
      'Scan-2',
      'scan-2-2',
      'scan-3',
      'other',
    ]);
  });
});

describe('planInputs', () => {
  it('groups files by scan, keeps rejected files apart and names no scan for SOP duplicates', () => {
    const inputs = planInputs({
      total: 7,
      imported: 2,
      duplicates: 3,
      rejected: 1,
      scanIds: [SCAN_A],
      items: [
        { path: '/in/series/1.dcm', status: 'imported', scanId: SCAN_A },
        { path: '/in/bad.dcm', status: 'rejected', code: 'CORRUPT_FILE', reason: 'cut off' },
        { path: '/in/series/2.dcm', status: 'imported', scanId: SCAN_A },
        { path: '/in/old.png', status: 'duplicate', code: 'DUPLICATE', scanId: SCAN_B },
        { path: '/in/copy/1.dcm', status: 'duplicate', code: 'DUPLICATE' },
        { path: '/in/copy/2.dcm', status: 'duplicate', code: 'DUPLICATE' },
        { path: '/in/series/1.dcm', status: 'duplicate', code: 'DUPLICATE', scanId: SCAN_A },
      ],
    });
    expect(inputs).toEqual([
      { paths: ['/in/series/1.dcm', '/in/series/2.dcm'], scanId: SCAN_A, problem: null },
      {
        paths: ['/in/bad.dcm'],
        scanId: null,
        problem: { code: 'CORRUPT_FILE', message: 'cut off' },
      },
      { paths: ['/in/old.png'], scanId: SCAN_B, problem: null },
      {
        paths: ['/in/copy/1.dcm', '/in/copy/2.dcm'],
        scanId: null,
        problem: { code: 'DUPLICATE', message: SAME_IMAGE_OTHER_FILE },
      },
    ]);
    expect(SAME_IMAGE_OTHER_FILE).toContain('analyze --scan ID');
  });

  it('gives a copy of the same files under other paths an input of its own, saying so', () => {
    const [F1, F2] = [
      '10000000-0000-4000-8000-000000000001',
      '10000000-0000-4000-8000-000000000002',
    ];
    const item = (path: string, fileId: string, status: 'imported' | 'duplicate' = 'imported') => ({
      path,
      status,
      scanId: SCAN_A,
      fileId,
    });
    const inputs = planInputs({
      total: 5,
      imported: 2,
      duplicates: 3,
      rejected: 0,
      scanIds: [SCAN_A],
      items: [
        item('/in/a/1.dcm', F1),
        item('/in/a/2.dcm', F2),
        item('/in/b/1.dcm', F1, 'duplicate'),
        item('/in/b/2.dcm', F2, 'duplicate'),
        item('/in/c/one.dcm', F1, 'duplicate'),
      ],
    });
    expect(inputs).toEqual([
      { paths: ['/in/a/1.dcm', '/in/a/2.dcm'], scanId: SCAN_A, problem: null },
      {
        paths: ['/in/b/1.dcm', '/in/b/2.dcm'],
        scanId: SCAN_A,
        problem: null,
        sameFileAs: '/in/a/1.dcm',
      },
      { paths: ['/in/c/one.dcm'], scanId: SCAN_A, problem: null, sameFileAs: '/in/a/1.dcm' },
    ]);
  });

  it('adds --scan scans once', () => {
    const fromImport = [{ paths: ['/a.png'], scanId: SCAN_A, problem: null }];
    expect(
      addScans(fromImport, [
        { scanId: SCAN_A, paths: ['/a.png'] },
        { scanId: SCAN_B, paths: [] },
        { scanId: SCAN_B, paths: [] },
      ]).map((input) => input.scanId),
    ).toEqual([SCAN_A, SCAN_B]);
  });
});

describe('mask files', () => {
  it('writes a 2D picture mask as an 8-bit PNG with values 0 and 1', () => {
    const picture = scan({ kind: 'image', format: 'png', spacing: null, dims: null });
    const file = encodeMaskFile(picture, [3, 2, 1], Uint8Array.from([0, 1, 0, 1, 1, 0]));
    expect(file.extension).toBe('png');
    const decoded = decodePng(file.bytes);
    expect(decoded).toMatchObject({ columns: 3, rows: 2, samplesPerPixel: 1, dtype: 'uint8' });
    expect([...decoded.data]).toEqual([0, 1, 0, 1, 1, 0]);
  });

  it('writes a volume mask as NIfTI with the scan geometry in RAS', () => {
    const file = encodeMaskFile(scan({}), [3, 2, 2], new Uint8Array(12).fill(1, 6));
    expect(file.extension).toBe('nii.gz');
    expect(file.warnings).toEqual([]);
    const bytes = gunzipSync(file.bytes);
    expect([...bytes.subarray(352)]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const { geometry } = niftiGeometryOf(scan({}), [3, 2, 2]);
    // Column axis: LPS (0, 1, 0) × 0.5 mm = RAS (0, -0.5, 0); row axis: LPS (0, 0, -1) × 0.7;
    // slice axis: LPS (1, 0, 0) × 3 = RAS (-3, 0, 0); origin LPS (1, 2, 3) = RAS (-1, -2, 3).
    expect(geometry.sform).toEqual([
      [0, 0, -3, -1],
      [-0.5, 0, 0, -2],
      [0, -0.7, 0, 3],
    ]);
    expect(geometry.spacing).toEqual([0.5, 0.7, 3]);
  });

  it('says what geometry it had to fill in, and refuses a mask of the wrong size', () => {
    const bare = scan({ spacing: [1, 1, null], origin: null, direction: null, dims: [3, 2, 3] });
    expect(niftiGeometryOf(bare, [3, 2, 2]).warnings).toEqual([
      expect.stringContaining('differs from the scan'),
      expect.stringContaining('no slice spacing'),
      expect.stringContaining('no patient position'),
      expect.stringContaining('no orientation'),
    ]);
    expect(() => encodeMaskFile(scan({}), [3, 2, 2], new Uint8Array(5))).toThrow(/5 voxels/);
  });
});

describe('writeAnalysisOutputs', () => {
  it('writes the mask, heatmap and overlay under the input name, and only what exists', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'neurosphere-outputs-'));
    try {
      const picture = scan({ kind: 'image', format: 'png', spacing: null, dims: null });
      const heatmapPng = Buffer.from('heatmap bytes');
      const overlayPng = Buffer.from('overlay bytes');
      const full = await writeAnalysisOutputs({
        outDir,
        name: 'slice',
        scan: picture,
        dims: [3, 2, 1],
        files: { mask: new Uint8Array(6), heatmapPng, overlayPng },
      });
      expect(full.written).toEqual({
        mask: join(outDir, 'slice_mask.png'),
        heatmap: join(outDir, 'slice_heatmap.png'),
        overlay: join(outDir, 'slice_overlay.png'),
      });
      expect(readFileSync(join(outDir, 'slice_heatmap.png'))).toEqual(heatmapPng);
      expect(readFileSync(join(outDir, 'slice_overlay.png'))).toEqual(overlayPng);

      const bare = await writeAnalysisOutputs({
        outDir,
        name: 'volume',
        scan: scan({}),
        dims: [3, 2, 2],
        files: { mask: null, heatmapPng: null, overlayPng: null },
      });
      expect(bare.written).toEqual({ mask: null, heatmap: null, overlay: null });
      expect(bare.warnings).toEqual([expect.stringContaining('mask is missing')]);
      expect(readdirSync(outDir).sort()).toEqual([
        'slice_heatmap.png',
        'slice_mask.png',
        'slice_overlay.png',
      ]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('chooseModels', () => {
  const model = (id: string, task: string, usable = true) => ({
    id,
    version: '1.0.0',
    task,
    role: null,
    isDefault: false,
    reads: null,
    labels: [],
    intendedUse: '',
    usable,
    problem: usable ? null : `Model "${id}" cannot be used: its sha256 does not match.`,
  });
  const installed = [
    model('seg', 'segmentation'),
    model('cls', 'classification'),
    model('bad', 'segmentation', false),
  ];
  const codeOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      if (isAppError(error)) return `${error.code}: ${error.message}`;
    }
    return 'no AppError';
  };

  it('takes the asked-for models, or none for the classifier', () => {
    expect(chooseModels(installed, { model: 'seg', classifier: 'cls' })).toEqual({
      segmentation: { id: 'seg', version: '1.0.0' },
      classification: { id: 'cls', version: '1.0.0' },
      warnings: [],
    });
    expect(chooseModels(installed, { model: 'seg', classifier: null }).classification).toBeNull();
  });

  it('only warns when the default classifier is missing', () => {
    const chosen = chooseModels(installed, { model: 'seg', classifier: undefined });
    expect(chosen.classification).toBeNull();
    expect(chosen.warnings).toEqual([expect.stringContaining('marked as the default')]);
  });

  it('refuses missing, unusable and wrong-task models', () => {
    expect(codeOf(() => chooseModels(installed, { model: 'nope', classifier: null }))).toBe(
      'MODEL_UNAVAILABLE: Model "nope" is not installed. Installed segmentation models: seg. ' +
        'Pick one with --model, or point NEUROSPHERE_MODELS_DIR at the folder that holds it.',
    );
    expect(codeOf(() => chooseModels(installed, { model: 'bad', classifier: null }))).toBe(
      'MODEL_UNAVAILABLE: Model "bad" cannot be used: its sha256 does not match.',
    );
    expect(codeOf(() => chooseModels(installed, { model: 'cls', classifier: null }))).toMatch(
      /^INVALID_INPUT: Model "cls" is a classification model; --model needs a segmentation model/,
    );
    expect(codeOf(() => chooseModels(installed, { model: 'seg', classifier: 'gone' }))).toMatch(
      /^MODEL_UNAVAILABLE: Model "gone" is not installed\. Installed classification models: cls\./,
    );
  });
});

describe('exitCodeOf', () => {
  const result = (status: InputResult['status']): InputResult => ({
    paths: [],
    scanId: null,
    status,
  });
  it('is 0 only when everything was analysed, 130 after Ctrl-C', () => {
    expect(exitCodeOf([result('completed'), result('completed')], false)).toBe(0);
    expect(exitCodeOf([], false)).toBe(0);
    expect(exitCodeOf([result('completed'), result('rejected')], false)).toBe(1);
    expect(exitCodeOf([result('failed')], false)).toBe(1);
    expect(exitCodeOf([result('completed')], true)).toBe(130);
  });
});
