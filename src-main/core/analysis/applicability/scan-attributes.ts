import type { DataSet } from 'dicom-parser';
import type { ImagePlane } from '../../../../src-shared/model-manifest.js';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { allStrings, decimal, text } from '../../imaging/dicom/dataset-values.js';
import { inferBodyPart, inferSequence, type Sequence } from './series-description.js';

/**
 * What is known about a scan before any model reads it: from its DICOM header where it has
 * one, from its geometry otherwise. Unknown is null, and an unknown attribute refuses nothing.
 */
export interface ScanAttributes {
  /** True when a DICOM header was read (a PNG or NIfTI has none). */
  hasDicomHeader: boolean;
  modality: string | null;
  bodyPart: string | null;
  sequence: Sequence | null;
  /** The text the sequence was read from, for the message ("series description 'AX T1 MPRAGE'"). */
  description: string | null;
  plane: ImagePlane | null;
  /** A series or volume (several slices) rather than one picture. */
  isThreeD: boolean;
  /** Slices thin enough (≤ 1.5 × the pixel size) to be re-cut in any plane. */
  isNearIsotropic: boolean;
  rows: number | null;
  columns: number | null;
  /** Finest in-plane pixel spacing in mm. */
  pixelSpacingMm: number | null;
  imageType: string[];
}

/** The plane whose normal is the dominant axis of the slice direction (LPS). */
export function planeOf(direction: Scan['direction']): ImagePlane | null {
  if (direction === null) return null;
  const normal = direction[2];
  const [x, y, z] = normal.map(Math.abs) as [number, number, number];
  if (z >= x && z >= y) return 'axial';
  return x >= y ? 'sagittal' : 'coronal';
}

function joinedText(values: Array<string | null>): string | null {
  const parts = values.filter((v): v is string => v !== null && v.trim() !== '');
  return parts.length === 0 ? null : parts.join(' / ');
}

/**
 * Attributes of a scan. `header` is the parsed data set of its first DICOM file (pixel data not
 * needed), or null for formats without one.
 */
export function scanAttributes(scan: Scan, header: DataSet | null): ScanAttributes {
  const seriesDescription = header === null ? scan.description : text(header, 'x0008103e');
  const protocolName = header === null ? null : text(header, 'x00181030');
  const sequenceName = header === null ? null : text(header, 'x00180024');
  const description = joinedText([seriesDescription, protocolName, sequenceName]);
  const bodyPartExamined = header === null ? null : text(header, 'x00180015');
  const spacing = scan.spacing;
  const inPlane = spacing === null ? null : Math.min(spacing[0], spacing[1]);
  const sliceSpacing = spacing?.[2] ?? null;
  const isThreeD = scan.slices > 1;
  return {
    hasDicomHeader: header !== null,
    modality: (header === null ? scan.modality : text(header, 'x00080060'))?.toUpperCase() ?? null,
    bodyPart: bodyPartExamined?.toUpperCase() ?? inferBodyPart(description),
    sequence:
      header === null
        ? inferSequence(description, {})
        : inferSequence(description, {
            inversionTimeMs: decimal(header, 'x00180082'),
            repetitionTimeMs: decimal(header, 'x00180080'),
            contrastAgent: text(header, 'x00180010'),
          }),
    description,
    plane: planeOf(scan.direction),
    isThreeD,
    isNearIsotropic:
      isThreeD && inPlane !== null && sliceSpacing !== null && sliceSpacing <= 1.5 * inPlane,
    rows: scan.rows,
    columns: scan.columns,
    pixelSpacingMm: inPlane,
    imageType: header === null ? [] : allStrings(header, 'x00080008').map((v) => v.toUpperCase()),
  };
}
