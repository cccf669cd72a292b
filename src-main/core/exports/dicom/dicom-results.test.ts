import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asScanId, type ScanId } from '../../../../src-shared/ids.js';
import { headWithSpot, makeDicom } from '../../../test-support/dicom-fixtures.js';
import {
  DECODE_SEG_PY,
  EMPTY_TYPE2_WARNINGS,
  makeTestPdf,
  READ_PDF_PY,
  READ_SC_PY,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../../test-support/dicom-validation.js';
import { installFlairIdentityModel } from '../../../test-support/model-fixtures.js';
import {
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../../test-support/test-core.js';
import { makeNifti } from '../../../test-support/volume-fixtures.js';

const SLICES = 8;
/** Slices (0-based, along the normal) with the bright spot the identity model segments. */
const LESION_SLICES = new Set([2, 3, 4, 5]);
const STUDY_UID = '1.2.826.0.1.3680043.8.498.77.1';
const SERIES_UID = '1.2.826.0.1.3680043.8.498.77.2';
const FRAME_OF_REFERENCE_UID = '1.2.826.0.1.3680043.8.498.77.3';

interface DecodedSeg {
  sopClassUid: string;
  frames: number;
  segments: Array<{
    number: number;
    label: string;
    algorithmType: string;
    type: string;
    category: string;
  }>;
  referencedFrames: number;
  mismatchedFrames: number;
  referencedInstances: string[];
  referencedSeries: string[];
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  patientName: string;
  patientId: string;
  shape: number[];
  orientation: number[];
}

/** Lesion pixels with a 4-neighbour outside the lesion (or the image): the outline drawn. */
function edgePixels(slice: Uint8Array, rows: number, columns: number): number {
  const on = (r: number, c: number): boolean =>
    r >= 0 && c >= 0 && r < rows && c < columns && slice[r * columns + c] !== 0;
  let count = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      if (on(r, c) && !(on(r - 1, c) && on(r + 1, c) && on(r, c - 1) && on(r, c + 1))) count++;
  return count;
}

/** No dciodvfy error in the file, and no warning but those `allowed` explains. */
function expectValid(path: string, allowed: readonly RegExp[] = []): string {
  const findings = validatorFindings(path, allowed);
  expect(findings.errors, findings.output).toEqual([]);
  expect(findings.unexplainedWarnings, findings.output).toEqual([]);
  return findings.output;
}

describe('writeDicomResults: SEG, overlays and report for a PACS', () => {
  let t: TestCore;
  let token: string;
  beforeAll(() => requireDicomValidators());
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  /**
   * An axial FLAIR series whose files are named and numbered against the slice order (the
   * last file is the lowest slice), so the SEG's frame order cannot come from file order.
   */
  function writeFlairSeries(): string[] {
    const dir = join(t.inputDir, 'flair');
    mkdirSync(dir);
    const paths: string[] = [];
    for (let i = 0; i < SLICES; i++) {
      const k = SLICES - 1 - i;
      const path = join(dir, `IM${i + 1}.dcm`);
      writeFileSync(
        path,
        makeDicom({
          rows: 64,
          columns: 64,
          patientName: 'Müller^Zoë',
          patientId: 'NS-0042',
          studyInstanceUid: STUDY_UID,
          seriesInstanceUid: SERIES_UID,
          sopInstanceUid: `${SERIES_UID}.${i + 1}`,
          instanceNumber: i + 1,
          seriesDescription: 'AX FLAIR',
          pixelSpacing: [0.9, 0.9],
          sliceThickness: 5,
          imagePosition: [-28.8, -28.8, 10 + k * 5],
          pixel: (r, c) =>
            LESION_SLICES.has(k) ? headWithSpot(r, c) : Math.min(700, headWithSpot(r, c)),
          extraAttributes: {
            // dcmjs writes the name as UTF-8: the header must say so.
            SpecificCharacterSet: 'ISO_IR 192',
            FrameOfReferenceUID: FRAME_OF_REFERENCE_UID,
            StudyTime: '101500',
            StudyID: '42',
            AccessionNumber: 'ACC-42',
            ReferringPhysicianName: 'Doe^Jane',
          },
        }),
      );
      paths.push(path);
    }
    return paths;
  }

  async function storedMask(scanId: ScanId): Promise<Uint8Array> {
    const { mask } = await t.core.analysis.outputs(scanId);
    if (mask === null) throw new Error('The analysis stored no mask.');
    return mask;
  }

  it('writes a SEG, overlays and an Encapsulated PDF that validate and read back identical', async () => {
    const sources = writeFlairSeries();
    const scanId = asScanId(await importScan(t, token, [join(t.inputDir, 'flair')]));
    const analysis = await analyseScan(t, token, scanId);
    expect(analysis.findings.kind === 'brain-tumour' && analysis.findings.tumourDetected).toBe(
      true,
    );
    const mask = await storedMask(scanId);

    const pdf = await makeTestPdf('Neurosphere test report: Müller, Zoë');
    const outDir = join(t.root, 'dicom-out');
    const progress: number[] = [];
    const written = await t.core.dicomResults.writeDicomResults(scanId, outDir, {
      reportPdf: pdf,
      reportTitle: 'Brain MR tumour report',
      onProgress: (done) => progress.push(done),
    });
    expect(written.notes).toEqual([]);
    expect(written.overlays.map((p) => p.slice(-9))).toEqual([
      '-0003.dcm',
      '-0004.dcm',
      '-0005.dcm',
      '-0006.dcm',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);

    // The SEG: valid, and pydicom's decoding of it is the stored mask, voxel for voxel.
    expect(expectValid(written.segmentation)).toMatch(/^Segmentation/m);
    const decodedPath = join(t.root, 'decoded.raw');
    const seg = runPython<DecodedSeg>(DECODE_SEG_PY, [
      written.segmentation,
      decodedPath,
      ...sources,
    ]);
    expect(seg).toMatchObject({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4',
      frames: SLICES,
      segments: [
        {
          number: 1,
          label: 'tumour',
          algorithmType: 'AUTOMATIC',
          type: '108369006',
          category: '49755003',
        },
      ],
      referencedFrames: SLICES,
      mismatchedFrames: 0,
      referencedSeries: [SERIES_UID],
      studyInstanceUid: STUDY_UID,
      frameOfReferenceUid: FRAME_OF_REFERENCE_UID,
      patientName: 'Müller^Zoë',
      patientId: 'NS-0042',
      shape: [SLICES, 64, 64],
    });
    expect(new Set(seg.referencedInstances)).toEqual(
      new Set(Array.from({ length: SLICES }, (_, i) => `${SERIES_UID}.${i + 1}`)),
    );
    expect(seg.seriesInstanceUid).not.toBe(SERIES_UID);
    const decoded = new Uint8Array(readFileSync(decodedPath));
    const lesionVoxels = mask.reduce((n, v) => n + (v === 0 ? 0 : 1), 0);
    expect(lesionVoxels).toBeGreaterThan(0);
    expect(lesionVoxels).toBeLessThan(mask.length / 10);
    expect(Buffer.from(decoded).equals(Buffer.from(mask))).toBe(true);

    // The overlays: valid Secondary Captures with the outline burned in, one per lesion slice.
    for (const path of written.overlays) expectValid(path);
    const overlays = runPython<
      Array<{
        sopClassUid: string;
        shape: number[];
        red: number;
        burnedIn: string;
        source: string;
        studyInstanceUid: string;
      }>
    >(READ_SC_PY, written.overlays);
    expect(overlays).toHaveLength(4);
    for (const [n, overlay] of overlays.entries()) {
      expect(overlay).toMatchObject({
        sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        shape: [64, 64, 3],
        burnedIn: 'YES',
        studyInstanceUid: STUDY_UID,
      });
      // Red exactly on the lesion's edge pixels of that slice (slices 2..5).
      const edge = edgePixels(mask.subarray((n + 2) * 4096, (n + 3) * 4096), 64, 64);
      expect(edge).toBeGreaterThan(0);
      expect(overlay.red).toBe(edge);
    }
    // Each overlay names the slice it shows: files IM3..IM6 hold slices 5..2.
    expect(overlays.map((o) => o.source)).toEqual([6, 5, 4, 3].map((n) => `${SERIES_UID}.${n}`));

    // The report: valid, and pydicom hands back the very PDF.
    expect(written.report).not.toBeNull();
    expectValid(written.report!);
    const pdfBack = join(t.root, 'back.pdf');
    const readBack = runPython<Record<string, unknown>>(READ_PDF_PY, [written.report!, pdfBack]);
    expect(readBack).toMatchObject({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1',
      mime: 'application/pdf',
      title: 'Brain MR tumour report',
      length: pdf.length,
      stored: pdf.length + (pdf.length % 2),
      padding: pdf.length % 2 === 1 ? '00' : '',
      studyInstanceUid: STUDY_UID,
      patientName: 'Müller^Zoë',
      burnedIn: 'YES',
    });
    expect(readFileSync(pdfBack).equals(pdf)).toBe(true);
  }, 60_000);

  it('follows an oblique coronal series in Latin-1: orientation, positions and name as the source has them', async () => {
    // Coronal, tilted 0.2 rad about the patient's S axis; slices step along the normal (-P).
    const tilt = 0.2;
    const row = [Math.cos(tilt), Math.sin(tilt), 0];
    const column = [0, 0, -1];
    const normal = [
      row[1]! * column[2]! - row[2]! * column[1]!,
      row[2]! * column[0]! - row[0]! * column[2]!,
      0,
    ];
    const dir = join(t.inputDir, 'coronal');
    mkdirSync(dir);
    const paths: string[] = [];
    for (let k = 0; k < 6; k++) {
      const path = join(dir, `c${k}.dcm`);
      // "MXller^ZoX" is rewritten as Latin-1 "Müller^Zoë" below: same length, one byte a letter.
      const bytes = makeDicom({
        rows: 64,
        columns: 64,
        patientName: 'MXller^ZoX',
        studyInstanceUid: STUDY_UID,
        seriesInstanceUid: `${SERIES_UID}.9`,
        sopInstanceUid: `${SERIES_UID}.9.${k + 1}`,
        instanceNumber: k + 1,
        seriesDescription: 'COR FLAIR',
        pixelSpacing: [1, 1],
        imageOrientation: [...row, ...column] as [number, number, number, number, number, number],
        imagePosition: [0, 1, 2].map((a) => 10 * row[a]! + k * 4 * normal[a]!) as [
          number,
          number,
          number,
        ],
        pixel: (r, c) =>
          k >= 2 && k <= 4 ? headWithSpot(r, c) : Math.min(700, headWithSpot(r, c)),
        extraAttributes: {
          SpecificCharacterSet: 'ISO_IR 100',
          FrameOfReferenceUID: FRAME_OF_REFERENCE_UID,
        },
      });
      const at = bytes.indexOf('MXller^ZoX', 0, 'latin1');
      bytes[at + 1] = 0xfc; // ü
      bytes[at + 9] = 0xeb; // ë
      writeFileSync(path, bytes);
      paths.push(path);
    }
    const scanId = asScanId(await importScan(t, token, [dir]));
    await analyseScan(t, token, scanId, true);
    const mask = await storedMask(scanId);
    expect(mask.some((v) => v !== 0)).toBe(true);
    const written = await t.core.dicomResults.writeDicomResults(scanId, join(t.root, 'cor'));
    // This source has no study time or ID (see EMPTY_TYPE2_WARNINGS).
    expectValid(written.segmentation, EMPTY_TYPE2_WARNINGS);
    for (const overlay of written.overlays) expectValid(overlay, EMPTY_TYPE2_WARNINGS);
    const decodedPath = join(t.root, 'cor.raw');
    const seg = runPython<DecodedSeg>(DECODE_SEG_PY, [written.segmentation, decodedPath, ...paths]);
    expect(seg).toMatchObject({
      patientName: 'Müller^Zoë',
      mismatchedFrames: 0,
      referencedFrames: 6,
    });
    seg.orientation.forEach((v, i) => expect(v).toBeCloseTo([...row, ...column][i]!, 6));
    expect(readFileSync(decodedPath).equals(Buffer.from(mask))).toBe(true);
  }, 60_000);

  it('keeps an odd-length PDF byte for byte, refuses what is not a PDF, stops when cancelled and replaces an earlier export', async () => {
    writeFlairSeries();
    const scanId = asScanId(await importScan(t, token, [join(t.inputDir, 'flair')]));
    await analyseScan(t, token, scanId);
    let pdf = await makeTestPdf('odd');
    if (pdf.length % 2 === 0) pdf = Buffer.concat([pdf, Buffer.from('\n')]);
    const outDir = join(t.root, 'odd');
    const written = await t.core.dicomResults.writeDicomResults(scanId, outDir, { reportPdf: pdf });
    expectValid(written.report!);
    const back = join(t.root, 'odd.pdf');
    const readBack = runPython<{ padding: string; length: number }>(READ_PDF_PY, [
      written.report!,
      back,
    ]);
    expect(readBack).toMatchObject({ padding: '00', length: pdf.length });
    expect(readFileSync(back).equals(pdf)).toBe(true);

    // Refused before anything is written.
    await expect(
      t.core.dicomResults.writeDicomResults(scanId, join(t.root, 'not-pdf'), {
        reportPdf: Buffer.from('<html>not a pdf</html>'),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a PDF/) });
    expect(existsSync(join(t.root, 'not-pdf'))).toBe(false);

    // Cancelled: nothing more is written. Written again into the same folder: an earlier
    // export's overlay of another slice does not stay beside the new ones.
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(
      t.core.dicomResults.writeDicomResults(scanId, join(t.root, 'cancelled'), {
        signal: cancelled.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(join(t.root, 'cancelled'))).toEqual([]);
    writeFileSync(join(outDir, 'overlay-0008.dcm'), 'from an earlier export');
    writeFileSync(join(outDir, 'notes.txt'), 'not ours');
    await t.core.dicomResults.writeDicomResults(scanId, outDir);
    expect(readdirSync(outDir).sort()).toEqual([
      'notes.txt',
      'overlay-0003.dcm',
      'overlay-0004.dcm',
      'overlay-0005.dcm',
      'overlay-0006.dcm',
      'report.dcm',
      'segmentation.dcm',
    ]);
  }, 60_000);

  it('writes a valid SEG for a NIfTI volume with generated UIDs, and says so', async () => {
    const path = join(t.inputDir, 'flair.nii.gz');
    // 1 mm axial voxels; the spot on slices 1-3.
    writeFileSync(
      path,
      makeNifti({
        dims: [64, 64, 5],
        gzip: true,
        voxel: (i, j, k) =>
          k >= 1 && k <= 3 ? headWithSpot(j, i) : Math.min(700, headWithSpot(j, i)),
      }),
    );
    const scanId = asScanId(await importScan(t, token, [path]));
    await analyseScan(t, token, scanId, true);
    const mask = await storedMask(scanId);
    const outDir = join(t.root, 'nifti-out');
    const written = await t.core.dicomResults.writeDicomResults(scanId, outDir);
    expect(written.notes.join(' ')).toMatch(/the source is NIFTI, not DICOM.*generated/);
    expect(written.report).toBeNull();
    expectValid(written.segmentation, EMPTY_TYPE2_WARNINGS);
    const decodedPath = join(t.root, 'decoded.raw');
    const seg = runPython<DecodedSeg>(DECODE_SEG_PY, [written.segmentation, decodedPath]);
    expect(seg.referencedFrames).toBe(0);
    expect(seg.shape).toEqual([5, 64, 64]);
    expect(Buffer.from(readFileSync(decodedPath)).equals(Buffer.from(mask))).toBe(true);
    expect(mask.some((v) => v !== 0)).toBe(true);
    for (const overlay of written.overlays) expectValid(overlay, EMPTY_TYPE2_WARNINGS);
  }, 60_000);

  it('refuses a scan whose analysis made no mask, saying why', async () => {
    const path = join(t.inputDir, 'chest.dcm');
    writeFileSync(
      path,
      makeDicom({
        modality: 'CR',
        rows: 64,
        columns: 64,
        seriesDescription: 'CHEST PA',
        extraAttributes: { BodyPartExamined: 'CHEST' },
      }),
    );
    const scanId = asScanId(await importScan(t, token, [path]));
    await analyseScan(t, token, scanId);
    await expect(t.core.dicomResults.segmentation(scanId)).rejects.toThrow(
      /no mask: it found the scan not applicable/,
    );
  }, 60_000);
});
