import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import { decimal, decimals, firstItem, integer, text, unsigned16 } from './dataset-values.js';

/** Everything needed to decode a DICOM image's frames and show them with the right values. */
export interface PixelDescription {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  isSigned: boolean;
  /** Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009). */
  floatBytes: 0 | 4 | 8;
  photometric: string;
  /** 1: colour planes stored one after another (RRR…GGG…BBB…); 0: interleaved. */
  planarConfiguration: 0 | 1;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  /** [column spacing, row spacing] in mm. */
  pixelSpacing: [number, number] | null;
  /** The Pixel Data element's tag (x7fe00010, or the float variants). */
  pixelTag: string;
}

const PIXEL_TAGS = ['x7fe00010', 'x7fe00008', 'x7fe00009'] as const;

export const ENHANCED_SHARED_GROUPS = 'x52009229';
export const ENHANCED_PER_FRAME_GROUPS = 'x52009230';

/** A functional group macro item: from the shared groups, else the first frame's groups. */
export function functionalGroup(ds: DataSet, macroTag: string): DataSet | undefined {
  return (
    firstItem(firstItem(ds, ENHANCED_SHARED_GROUPS), macroTag) ??
    firstItem(firstItem(ds, ENHANCED_PER_FRAME_GROUPS), macroTag)
  );
}

function pixelSpacingOf(ds: DataSet): [number, number] | null {
  const spacing =
    decimals(ds, 'x00280030', 2) ??
    decimals(functionalGroup(ds, 'x00289110') ?? ds, 'x00280030', 2) ??
    decimals(ds, 'x00181164', 2);
  if (spacing === null || !(spacing[0]! > 0) || !(spacing[1]! > 0)) return null;
  // PixelSpacing is [row spacing, column spacing]; Neurosphere uses x-first everywhere.
  return [spacing[1]!, spacing[0]!];
}

function rescaleOf(ds: DataSet): { slope: number; intercept: number } {
  const group = functionalGroup(ds, 'x00289145');
  const slope = decimal(ds, 'x00281053') ?? (group && decimal(group, 'x00281053')) ?? 1;
  const intercept = decimal(ds, 'x00281052') ?? (group && decimal(group, 'x00281052')) ?? 0;
  return { slope: slope === 0 ? 1 : slope, intercept };
}

function windowOf(ds: DataSet): { center: number | null; width: number | null } {
  const source = ds.elements['x00281050'] !== undefined ? ds : functionalGroup(ds, 'x00289132');
  if (source === undefined) return { center: null, width: null };
  const center = decimal(source, 'x00281050');
  const width = decimal(source, 'x00281051');
  return center === null || width === null || width <= 0
    ? { center: null, width: null }
    : { center, width };
}

/**
 * Reads and checks the Image Pixel module. Throws UNSUPPORTED_FORMAT when the file holds no
 * image and CORRUPT_FILE when the description is impossible (zero size, bad bit depths).
 */
export function describePixels(ds: DataSet): PixelDescription {
  const pixelTag = PIXEL_TAGS.find((tag) => ds.elements[tag] !== undefined);
  if (pixelTag === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      'DICOM file holds no image (no Pixel Data): it may be a report, a DICOMDIR or a presentation state',
    );
  }
  const rows = unsigned16(ds, 'x00280010') ?? 0;
  const columns = unsigned16(ds, 'x00280011') ?? 0;
  if (rows === 0 || columns === 0)
    throw new AppError('CORRUPT_FILE', 'DICOM image has no Rows/Columns');
  const floatBytes = pixelTag === 'x7fe00008' ? 4 : pixelTag === 'x7fe00009' ? 8 : 0;
  const bitsAllocated = floatBytes > 0 ? floatBytes * 8 : (unsigned16(ds, 'x00280100') ?? 0);
  if (![1, 8, 16, 32, 64].includes(bitsAllocated)) {
    throw new AppError(
      'CORRUPT_FILE',
      `DICOM image has an invalid Bits Allocated (${bitsAllocated})`,
    );
  }
  const bitsStored = unsigned16(ds, 'x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new AppError(
      'CORRUPT_FILE',
      `DICOM image has Bits Stored ${bitsStored} for Bits Allocated ${bitsAllocated}`,
    );
  }
  const samples = unsigned16(ds, 'x00280002') ?? 1;
  if (samples !== 1 && samples !== 3) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `DICOM images with ${samples} samples per pixel are not supported`,
    );
  }
  const frames = integer(ds, 'x00280008') ?? 1;
  if (frames < 1) throw new AppError('CORRUPT_FILE', `DICOM image has ${frames} frames`);
  const rescale = rescaleOf(ds);
  const window = windowOf(ds);
  return {
    rows,
    columns,
    frames,
    samplesPerPixel: samples,
    bitsAllocated,
    bitsStored,
    highBit: unsigned16(ds, 'x00280102') ?? bitsStored - 1,
    isSigned: unsigned16(ds, 'x00280103') === 1,
    floatBytes,
    photometric: (text(ds, 'x00280004') ?? (samples === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase(),
    planarConfiguration: unsigned16(ds, 'x00280006') === 1 ? 1 : 0,
    rescaleSlope: rescale.slope,
    rescaleIntercept: rescale.intercept,
    windowCenter: window.center,
    windowWidth: window.width,
    pixelSpacing: pixelSpacingOf(ds),
    pixelTag,
  };
}

/** Bytes of one uncompressed frame; floating point so hostile sizes cannot overflow. */
export function frameByteLength(p: PixelDescription): number {
  // Uncompressed YBR_FULL_422 stores two samples per pixel (Y Y Cb Cr for each pixel pair).
  const samples = p.photometric === 'YBR_FULL_422' ? 2 : p.samplesPerPixel;
  return Math.ceil((p.rows * p.columns * samples * p.bitsAllocated) / 8);
}
