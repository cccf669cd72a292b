import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import type { Patient, Scan, Series, Study } from '../../../../src-shared/contract/entities.js';
import { frameSamples } from '../../../../src-shared/contract/frames.js';
import { AppError } from '../../../../src-shared/errors.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { FrameService } from '../../imaging/frame-service.js';
import type { SourceFrameRow } from './dicom-source-repo.js';
import { assertPdf, writeEncapsulatedPdf } from './encapsulated-pdf.js';
import { renderOverlay } from './overlay-render.js';
import { writeSecondaryCaptures } from './secondary-capture.js';
import { writeSegmentation, type WriterEquipment } from './segmentation.js';
import { readDicomHeader, sourceContext, type SourceContext } from './source-context.js';

/** Series numbers of what is written, far above an acquisition's own (documented). */
export const RESULT_SERIES_NUMBERS = { segmentation: 901, overlays: 902, report: 903 } as const;

export const DICOM_RESULT_FILE_NAMES = {
  segmentation: 'segmentation.dcm',
  overlay: (n: number): string => `overlay-${String(n).padStart(4, '0')}.dcm`,
  report: 'report.dcm',
} as const;

/** An overlay file of an earlier export: replaced, never mixed with this one's (see docs). */
const OVERLAY_FILE = /^overlay-\d{4}\.dcm$/;

/** Removes the overlay files an earlier export left in the folder (their slices may differ). */
async function removeEarlierOverlays(outDir: string): Promise<void> {
  for (const name of await readdir(outDir))
    if (OVERLAY_FILE.test(name)) await rm(join(outDir, name), { force: true });
}

export interface DicomResultsDeps {
  scanDetail(scanId: string): { scan: Scan; study: Study | null; series: Series | null };
  patient(patientId: string): Patient | undefined;
  /** Which stored instance each of the scan's frames is (empty for non-DICOM scans). */
  sourceFrames(scanId: string): SourceFrameRow[];
  /** A stored file's bytes by sha256. */
  readBlob(sha256: string): Promise<Uint8Array>;
  /**
   * The latest analysis (or `analysisId`, one of the scan's) and its mask (null when none was
   * stored). Throws NOT_FOUND.
   */
  analysisOutputs(
    scanId: string,
    analysisId?: string,
  ): Promise<{ analysis: Analysis; mask: Uint8Array | null }>;
  /** The labels a model's manifest names (index = mask value); null when not installed. */
  modelLabels(modelId: string): string[] | null;
  frames: Pick<FrameService, 'getFrame'>;
  now(): Date;
  version: string;
}

export interface DicomResultsOptions {
  /** A report PDF to write as an Encapsulated PDF beside the SEG and overlays. */
  reportPdf?: Buffer;
  /** Title of that document (default "Neurosphere report"). */
  reportTitle?: string;
  /** The analysis whose mask is written (a report's own); default the scan's latest. */
  analysisId?: string;
  signal?: AbortSignal;
  /** Called after each file is written. */
  onProgress?: (done: number, total: number) => void;
}

export interface DicomResultsWritten {
  segmentation: string;
  overlays: string[];
  report: string | null;
  /** What was made up or assumed (e.g. generated UIDs for a NIfTI source). */
  notes: string[];
}

/** The segments: every label of the manifest but the background (index 0), by mask value. */
export function segmentLabels(
  manifestLabels: string[] | null,
  analysis: Analysis,
): Array<{ value: number; label: string }> {
  if (manifestLabels !== null && manifestLabels.length > 1)
    return manifestLabels.slice(1).map((label, i) => ({ value: i + 1, label }));
  // The model is no longer installed: its detections still name what it found.
  const found =
    analysis.findings.kind === 'brain-tumour' ? analysis.findings.detections[0]?.class : undefined;
  return [{ value: 1, label: found ?? 'tumour' }];
}

function cancelledIf(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new AppError('CANCELLED', 'Writing the DICOM results was cancelled.');
}

/**
 * The analysis results as DICOM objects for a PACS: the mask as a Segmentation, overlay
 * pictures as Secondary Captures and, given one, the report as an Encapsulated PDF, all in the
 * source's study (docs/dicom-results.md).
 */
export function createDicomResultsService(deps: DicomResultsDeps) {
  const equipment: WriterEquipment = {
    manufacturer: 'Neurosphere',
    modelName: 'Neurosphere',
    softwareVersion: deps.version,
    deviceSerialNumber: 'NONE',
  };

  async function prepare(
    scanId: string,
    analysisId?: string,
  ): Promise<{
    analysis: Analysis;
    mask: Uint8Array;
    source: SourceContext;
    model: { id: string; version: string };
  }> {
    const { scan, study, series } = deps.scanDetail(scanId);
    const { analysis, mask } = await deps.analysisOutputs(scanId, analysisId);
    const model = analysis.models.segmentation;
    if (mask === null || model === null)
      throw new AppError(
        'NOT_FOUND',
        analysis.findings.kind === 'not-applicable'
          ? `The analysis made no mask: it found the scan not applicable. ${analysis.findings.reason}`
          : 'The analysis has no stored mask: analyse the scan again.',
      );
    const dims = analysis.input.dimensions as Vector3;
    const frames = scan.format === 'dicom' ? deps.sourceFrames(scanId) : [];
    let firstHeader = null;
    const first = frames[0];
    if (first !== undefined) {
      try {
        firstHeader = readDicomHeader(await deps.readBlob(first.sha256));
      } catch {
        firstHeader = null;
      }
    }
    const patient = scan.patientId === null ? null : (deps.patient(scan.patientId) ?? null);
    const source = sourceContext({ scan, dims, patient, study, series, frames, firstHeader });
    return { analysis, mask, source, model };
  }

  async function segmentationOf(
    prepared: Awaited<ReturnType<typeof prepare>>,
    createdAt: Date,
  ): Promise<Buffer> {
    const { analysis, mask, source, model } = prepared;
    return writeSegmentation({
      source,
      mask,
      labels: segmentLabels(deps.modelLabels(model.id), analysis),
      model,
      equipment,
      createdAt,
      seriesNumber: RESULT_SERIES_NUMBERS.segmentation,
      seriesDescription: `Tumour segmentation (${model.id})`,
    }).bytes;
  }

  /** The overlay pictures of the slices that hold lesion voxels, in slice order. */
  async function overlayImages(
    scanId: string,
    prepared: Awaited<ReturnType<typeof prepare>>,
    signal: AbortSignal | undefined,
  ): Promise<Array<{ slice: number; rgb: Uint8Array }>> {
    const { grid } = prepared.source;
    const size = grid.rows * grid.columns;
    const images: Array<{ slice: number; rgb: Uint8Array }> = [];
    for (let slice = 0; slice < grid.slices; slice++) {
      const sliceMask = prepared.mask.subarray(slice * size, (slice + 1) * size);
      if (!sliceMask.some((v) => v !== 0)) continue;
      cancelledIf(signal);
      const frame = await deps.frames.getFrame(scanId, slice);
      if (frame.info.rows !== grid.rows || frame.info.columns !== grid.columns) {
        prepared.source.notes.push(
          `slice ${slice + 1} is ${frame.info.columns}×${frame.info.rows}, the mask ${grid.columns}×${grid.rows}: no overlay written for it`,
        );
        continue;
      }
      images.push({
        slice,
        rgb: renderOverlay(frame.info, frameSamples(frame.info, frame.data), sliceMask),
      });
    }
    return images;
  }

  return {
    /** The latest analysis's mask (or `analysisId`'s) as a DICOM SEG, for a download or a PACS. */
    async segmentation(
      scanId: string,
      analysisId?: string,
    ): Promise<{ fileName: string; bytes: Buffer; warnings: string[] }> {
      const prepared = await prepare(scanId, analysisId);
      const bytes = await segmentationOf(prepared, deps.now());
      return {
        fileName: `${prepared.model.id}_${scanId.slice(0, 8)}_seg.dcm`,
        bytes,
        warnings: prepared.source.notes,
      };
    },

    /**
     * A report PDF as an Encapsulated PDF in the source's study, for a PACS (the outbox sync):
     * one object, no SEG or overlays written.
     */
    async encapsulatedReport(
      scanId: string,
      analysisId: string,
      pdf: Buffer,
      title: string,
    ): Promise<Buffer> {
      assertPdf(pdf);
      const prepared = await prepare(scanId, analysisId);
      return writeEncapsulatedPdf({
        pdf,
        source: prepared.source,
        documentTitle: title,
        equipment,
        createdAt: deps.now(),
        seriesNumber: RESULT_SERIES_NUMBERS.report,
        seriesDescription: 'Report',
      }).bytes;
    },

    /**
     * Writes into `outDir` the SEG (segmentation.dcm), one Secondary Capture per slice with a
     * lesion (overlay-NNNN.dcm, NNNN = the slice from 1) and, given `reportPdf`, the report as
     * an Encapsulated PDF (report.dcm). Answers the paths written. An earlier export in the same
     * folder is replaced: its files are overwritten and its other overlay files removed, so a
     * PACS importing the folder never gets two exports' overlays mixed.
     */
    async writeDicomResults(
      scanId: string,
      outDir: string,
      options: DicomResultsOptions = {},
    ): Promise<DicomResultsWritten> {
      const { signal } = options;
      if (options.reportPdf !== undefined) assertPdf(options.reportPdf);
      const prepared = await prepare(scanId, options.analysisId);
      const createdAt = deps.now();
      await mkdir(outDir, { recursive: true });
      const images = await overlayImages(scanId, prepared, signal);
      cancelledIf(signal);
      await removeEarlierOverlays(outDir);
      const total = 1 + images.length + (options.reportPdf === undefined ? 0 : 1);
      let done = 0;
      const written = async (name: string, bytes: Buffer): Promise<string> => {
        cancelledIf(signal);
        const path = join(outDir, name);
        await writeFile(path, bytes);
        options.onProgress?.(++done, total);
        return path;
      };
      const segmentation = await written(
        DICOM_RESULT_FILE_NAMES.segmentation,
        await segmentationOf(prepared, createdAt),
      );
      const captures = writeSecondaryCaptures({
        source: prepared.source,
        images,
        equipment,
        createdAt,
        seriesNumber: RESULT_SERIES_NUMBERS.overlays,
        seriesDescription: 'Tumour outline overlays',
      });
      const overlays: string[] = [];
      for (const capture of captures.instances)
        overlays.push(
          await written(DICOM_RESULT_FILE_NAMES.overlay(capture.slice + 1), capture.bytes),
        );
      let report: string | null = null;
      if (options.reportPdf !== undefined)
        report = await written(
          DICOM_RESULT_FILE_NAMES.report,
          writeEncapsulatedPdf({
            pdf: options.reportPdf,
            source: prepared.source,
            documentTitle: options.reportTitle ?? 'Neurosphere report',
            equipment,
            createdAt,
            seriesNumber: RESULT_SERIES_NUMBERS.report,
            seriesDescription: 'Report',
          }).bytes,
        );
      const notes = [...prepared.source.notes];
      if (images.length === 0)
        notes.push('no slice holds a lesion: no overlay images were written');
      return { segmentation, overlays, report, notes };
    },
  };
}
export type DicomResultsService = ReturnType<typeof createDicomResultsService>;
