import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import { decimals, text, unsigned16 } from './dataset-values.js';
import { decodeDicomFrame } from './decode-frame.js';
import { readingDicom, type ParsedDicom } from './parse-dicom.js';
import {
  ENHANCED_PER_FRAME_GROUPS,
  ENHANCED_SHARED_GROUPS,
  type PixelDescription,
} from './pixel-description.js';
import type { Vector3, ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';

/** Segmentation Storage (PS3.4): a DICOM SEG, label masks drawn on the images of a series. */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export interface DicomSegment {
  number: number;
  label: string | null;
  description: string | null;
}

/** What one frame of a SEG says about itself, before it is matched to the series' images. */
export interface DicomSegFrameRef {
  segmentNumber: number;
  /** Derivation Image → Source Image's Referenced SOP Instance UID, if given. */
  sourceSopInstanceUid: string | null;
  /** Plane Position (Patient): the fallback when the source image is not named. */
  position: Vector3 | null;
}

/** The SEG's header: its segments, the series it annotates and what each frame refers to. */
export interface DicomSegHeader {
  /** The SEG's own SOP Instance UID: the same segmentation in another encoding keeps it. */
  sopInstanceUid: string | null;
  rows: number;
  columns: number;
  type: 'BINARY' | 'FRACTIONAL';
  seriesDescription: string | null;
  contentLabel: string | null;
  referencedSeriesUid: string;
  /** The instances the Referenced Series Sequence lists (may be empty). */
  referencedInstanceUids: string[];
  segments: DicomSegment[];
  frames: DicomSegFrameRef[];
}

/** The header plus the segment numbers that have at least one pixel: what an import records. */
export interface DicomSegSummary extends DicomSegHeader {
  presentSegments: number[];
}

/** An image of the referenced series, as stored at import. */
export interface ReferencedImage {
  sopInstanceUid: string;
  rows: number | null;
  columns: number | null;
  frames: number;
  position: ReadonlyVector3 | null;
}

export interface DicomSegFrame {
  segmentNumber: number;
  sopInstanceUid: string;
  /** One byte per pixel, 0 or 1, row by row. */
  mask: Uint8Array;
}

export interface DicomSeg {
  header: DicomSegHeader;
  frames: DicomSegFrame[];
}

const corrupt = (message: string): AppError => new AppError('CORRUPT_FILE', message);

function items(ds: DataSet | undefined, tag: string): DataSet[] {
  return (ds?.elements[tag]?.items ?? []).flatMap((item) =>
    item.dataSet === undefined ? [] : [item.dataSet],
  );
}

/** A functional group macro of one frame: its own per-frame item first, then the shared one. */
function frameMacro(perFrame: DataSet, shared: DataSet | undefined, tag: string) {
  return items(perFrame, tag)[0] ?? items(shared, tag)[0];
}

function readSegments(ds: DataSet): DicomSegment[] {
  const segments = items(ds, 'x00620002').map((item, i) => {
    const number = unsigned16(item, 'x00620004');
    if (number === null || number < 1)
      throw corrupt(`Segment ${i + 1} of the DICOM segmentation has no Segment Number`);
    return { number, label: text(item, 'x00620005'), description: text(item, 'x00620006') };
  });
  if (segments.length === 0)
    throw corrupt(
      'The DICOM segmentation has no Segment Sequence (0062,0002): no segment is described',
    );
  const tooHigh = segments.find((s) => s.number > 255);
  if (tooHigh !== undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `The DICOM segmentation numbers a segment ${tooHigh.number}; labels from 1 to 255 can be shown.`,
    );
  }
  return segments;
}

function readReferencedSeries(ds: DataSet): { uid: string; instances: string[] } {
  const series = items(ds, 'x00081115');
  if (series.length === 0) {
    throw corrupt(
      'The DICOM segmentation has no Referenced Series Sequence (0008,1115): it does not say which series it was drawn on',
    );
  }
  if (series.length > 1) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `The DICOM segmentation was drawn on ${series.length} series; only segmentations of one series can be shown.`,
    );
  }
  const uid = text(series[0]!, 'x0020000e');
  if (uid === null)
    throw corrupt(
      'The Referenced Series Sequence of the DICOM segmentation has no Series Instance UID',
    );
  const instances = items(series[0], 'x0008114a').flatMap((item) => {
    const sop = text(item, 'x00081155');
    return sop === null ? [] : [sop];
  });
  return { uid, instances };
}

function readFrameRefs(ds: DataSet, segmentNumbers: ReadonlySet<number>, frameCount: number) {
  const perFrame = items(ds, ENHANCED_PER_FRAME_GROUPS);
  if (perFrame.length === 0)
    throw corrupt('The DICOM segmentation has no Per-Frame Functional Groups Sequence (5200,9230)');
  if (perFrame.length !== frameCount) {
    throw corrupt(
      `The DICOM segmentation holds ${frameCount} frame(s) of pixels (Number of Frames) but describes ${perFrame.length}`,
    );
  }
  const shared = items(ds, ENHANCED_SHARED_GROUPS)[0];
  return perFrame.map((group, i): DicomSegFrameRef => {
    const identification = frameMacro(group, shared, 'x0062000a');
    const segmentNumber =
      identification === undefined ? null : unsigned16(identification, 'x0062000b');
    if (segmentNumber === null)
      throw corrupt(`Frame ${i + 1} of the DICOM segmentation does not say which segment it holds`);
    if (!segmentNumbers.has(segmentNumber)) {
      throw corrupt(
        `Frame ${i + 1} of the DICOM segmentation refers to segment ${segmentNumber}, which the Segment Sequence does not describe`,
      );
    }
    const derivation = frameMacro(group, shared, 'x00089124');
    const source = items(derivation, 'x00082112')[0];
    const plane = frameMacro(group, shared, 'x00209113');
    const xyz = plane === undefined ? null : decimals(plane, 'x00200032', 3);
    return {
      segmentNumber,
      sourceSopInstanceUid: source === undefined ? null : text(source, 'x00081155'),
      position: xyz === null ? null : [xyz[0]!, xyz[1]!, xyz[2]!],
    };
  });
}

/**
 * Reads and checks a SEG's header against its own bytes: segments, referenced series, and one
 * functional group per frame of pixels. Throws CORRUPT_FILE for what the standard requires and
 * is missing, UNSUPPORTED_FORMAT for what this build cannot show.
 */
export function readDicomSegHeader(ds: DataSet, pixels: PixelDescription): DicomSegHeader {
  return readingDicom(() => {
    const type = text(ds, 'x00620001')?.toUpperCase() ?? null;
    if (type !== 'BINARY' && type !== 'FRACTIONAL') {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        type === null
          ? 'The DICOM segmentation has no Segmentation Type (0062,0001)'
          : `DICOM segmentations of type ${type} are not supported (BINARY and FRACTIONAL are)`,
      );
    }
    const expectedBits = type === 'BINARY' ? 1 : 8;
    if (pixels.bitsAllocated !== expectedBits || pixels.samplesPerPixel !== 1) {
      throw corrupt(
        `A ${type} DICOM segmentation must have 1 sample of ${expectedBits} bit(s) per pixel; this one has ` +
          `${pixels.samplesPerPixel} of ${pixels.bitsAllocated}`,
      );
    }
    const segments = readSegments(ds);
    const series = readReferencedSeries(ds);
    return {
      sopInstanceUid: text(ds, 'x00080018'),
      rows: pixels.rows,
      columns: pixels.columns,
      type,
      seriesDescription: text(ds, 'x0008103e'),
      contentLabel: text(ds, 'x00700080'),
      referencedSeriesUid: series.uid,
      referencedInstanceUids: series.instances,
      segments,
      frames: readFrameRefs(ds, new Set(segments.map((s) => s.number)), pixels.frames),
    };
  });
}

/**
 * Decodes the frames one at a time as 0/1 masks (fractional frames thresholded at half their
 * Maximum Fractional Value) and hands each to `visit`; none is kept, so a SEG of many segments
 * costs one frame of memory here.
 */
export async function forEachDicomSegMask(
  parsed: ParsedDicom,
  pixels: PixelDescription,
  header: DicomSegHeader,
  visit: (frameIndex: number, mask: Uint8Array) => void,
): Promise<void> {
  const size = header.rows * header.columns;
  let threshold = 1;
  if (header.type === 'FRACTIONAL') {
    const maximum = readingDicom(() => unsigned16(parsed.dataSet, 'x0062000e'));
    if (maximum === null || maximum === 0)
      throw corrupt(
        'The FRACTIONAL DICOM segmentation has no Maximum Fractional Value (0062,000E)',
      );
    threshold = Math.max(1, Math.ceil(maximum / 2));
  }
  for (let i = 0; i < header.frames.length; i++) {
    const { data } = await decodeDicomFrame(parsed, pixels, i);
    visit(
      i,
      Uint8Array.from(data.subarray(0, size), (v) => (v >= threshold ? 1 : 0)),
    );
  }
}

/** Header checked and every frame decoded in the import's worker: what the import records. */
export async function inspectDicomSeg(
  parsed: ParsedDicom,
  pixels: PixelDescription,
): Promise<DicomSegSummary> {
  const header = readDicomSegHeader(parsed.dataSet, pixels);
  const present = new Set<number>();
  await forEachDicomSegMask(parsed, pixels, header, (i, mask) => {
    if (mask.includes(1)) present.add(header.frames[i]!.segmentNumber);
  });
  return { ...header, presentSegments: [...present].sort((a, b) => a - b) };
}

/** Positions written with a few significant digits (%e) still match within this, in mm. */
const POSITION_TOLERANCE_MM = 0.05;

function imageAt(
  position: Vector3,
  images: readonly ReferencedImage[],
): ReferencedImage | undefined {
  let best: ReferencedImage | undefined;
  let bestDistance = POSITION_TOLERANCE_MM;
  for (const image of images) {
    if (image.position === null) continue;
    const d = Math.hypot(...image.position.map((v, i) => v - position[i]!));
    if (d <= bestDistance) [best, bestDistance] = [image, d];
  }
  return best;
}

/**
 * The SOP Instance UID each frame was drawn on, among the series' images: the named source
 * image, else the referenced image at the frame's position. Refuses frames on no known image,
 * on another pixel grid, or on a multi-frame image (whose frames are not mapped yet).
 */
export function resolveDicomSegSources(
  header: DicomSegHeader,
  images: readonly ReferencedImage[],
): string[] {
  const byUid = new Map(images.map((image) => [image.sopInstanceUid, image]));
  const listed = new Set(header.referencedInstanceUids);
  const candidates =
    listed.size === 0 ? images : images.filter((i) => listed.has(i.sopInstanceUid));
  return header.frames.map((frame, i) => {
    const image =
      frame.sourceSopInstanceUid === null
        ? frame.position === null
          ? undefined
          : imageAt(frame.position, candidates)
        : byUid.get(frame.sourceSopInstanceUid);
    if (image === undefined) {
      throw new AppError(
        'INVALID_INPUT',
        frame.sourceSopInstanceUid === null
          ? `Frame ${i + 1} of the DICOM segmentation names no source image and lies at no imported image of series ${header.referencedSeriesUid}: import the whole series first.`
          : `Frame ${i + 1} of the DICOM segmentation was drawn on image ${frame.sourceSopInstanceUid}, which is not among the imported images of series ${header.referencedSeriesUid}: import the whole series first.`,
      );
    }
    if (image.frames > 1) {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        'The DICOM segmentation was drawn on a multi-frame image; only segmentations of single-frame series can be shown.',
      );
    }
    if (image.rows !== header.rows || image.columns !== header.columns) {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        `The DICOM segmentation is ${header.columns}x${header.rows} pixels but the image it was drawn on is ` +
          `${image.columns ?? '?'}x${image.rows ?? '?'}: segmentations on another pixel grid cannot be shown.`,
      );
    }
    return image.sopInstanceUid;
  });
}

/** Reads a SEG whole: each frame with its segment, the image it was drawn on and its mask. */
export async function readDicomSeg(
  parsed: ParsedDicom,
  pixels: PixelDescription,
  images: readonly ReferencedImage[],
  maxBytes: number,
): Promise<DicomSeg> {
  const header = readDicomSegHeader(parsed.dataSet, pixels);
  const sources = resolveDicomSegSources(header, images);
  if (header.rows * header.columns * header.frames.length > maxBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `The DICOM segmentation's ${header.frames.length} frames of ${header.columns}x${header.rows} exceed the decoding limit`,
    );
  }
  const frames: DicomSegFrame[] = [];
  await forEachDicomSegMask(parsed, pixels, header, (i, mask) => {
    const { segmentNumber } = header.frames[i]!;
    frames.push({ segmentNumber, sopInstanceUid: sources[i]!, mask });
  });
  return { header, frames };
}

/**
 * The SEG as one label volume on a frame grid (x fastest, then y, then frame), built frame by
 * frame. Where segments overlap the higher segment number wins: a voxel holds one label, and
 * the higher number is usually the finer structure drawn inside a coarser one (e.g. tumour core
 * within oedema).
 */
export async function dicomSegLabelVolume(
  parsed: ParsedDicom,
  pixels: PixelDescription,
  images: ReadonlyArray<ReferencedImage & { frameIndex: number | null }>,
  grid: ReadonlyVector3,
): Promise<Uint8Array> {
  const header = readDicomSegHeader(parsed.dataSet, pixels);
  const sources = resolveDicomSegSources(header, images);
  const [columns, rows, frameCount] = grid;
  if (header.columns !== columns || header.rows !== rows) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `The DICOM segmentation is ${header.columns}x${header.rows} pixels but the scan's frames are ${columns}x${rows}.`,
    );
  }
  const frameIndexOf = new Map(images.map((image) => [image.sopInstanceUid, image.frameIndex]));
  const targets = sources.map((uid) => {
    const index = frameIndexOf.get(uid);
    if (index === undefined || index === null || index >= frameCount) {
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        `The DICOM segmentation marks image ${uid}, which is not one of the scan's frames ` +
          "(left out of its volume, see the scan's warnings).",
      );
    }
    return index;
  });
  const size = columns * rows;
  const labels = new Uint8Array(size * frameCount);
  await forEachDicomSegMask(parsed, pixels, header, (i, mask) => {
    const segment = header.frames[i]!.segmentNumber;
    const offset = targets[i]! * size;
    for (let p = 0; p < size; p++) {
      if (mask[p] === 1 && labels[offset + p]! < segment) labels[offset + p] = segment;
    }
  });
  return labels;
}
