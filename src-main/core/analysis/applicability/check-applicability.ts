import type { ModelApplicability } from '../../../../src-shared/model-manifest.js';
import type { ScanAttributes } from './scan-attributes.js';
import { bodyPartInWords, sequenceInWords } from './series-description.js';

/** The outcome of checking one model against one scan. */
export interface ApplicabilityCheck {
  isApplicable: boolean;
  /** What does not match, each in clinical words ("this series is CR chest"). */
  mismatches: string[];
  /** One sentence for the reader: what the model reads and what this series is. */
  reason: string | null;
  checkedFrom: Array<'dicom-attributes' | 'image-geometry'>;
}

/** "CR chest", "MR brain T1 (sagittal)", "a 2D picture": how a radiologist would name the series. */
export function describeSeries(attributes: ScanAttributes): string {
  const words = [
    attributes.modality,
    attributes.bodyPart === null ? null : bodyPartInWords(attributes.bodyPart),
    attributes.sequence === null ? null : sequenceInWords(attributes.sequence),
  ].filter((w): w is string => w !== null);
  if (attributes.imageType.includes('LOCALIZER')) words.push('localizer');
  const what =
    words.length === 0 ? (attributes.isThreeD ? 'a volume' : 'a 2D picture') : words.join(' ');
  return attributes.plane !== null && attributes.hasDicomHeader
    ? `${what} (${attributes.plane})`
    : what;
}

function outside(value: number, range: { min: number; max: number }): boolean {
  return value < range.min || value > range.max;
}

/**
 * Checks a scan against what a model's manifest says it reads. Only what is known can refuse:
 * a PNG without metadata passes every attribute test (a learned image gate may still refuse it).
 */
export function checkApplicability(
  applicability: ModelApplicability,
  attributes: ScanAttributes,
): ApplicabilityCheck {
  const mismatches: string[] = [];
  const a = attributes;
  if (a.modality !== null && !applicability.modalities.includes(a.modality))
    mismatches.push(`the modality is ${a.modality}, not ${applicability.modalities.join(' or ')}`);
  if (a.bodyPart !== null && !applicability.bodyParts.includes(a.bodyPart))
    mismatches.push(`the body part is ${bodyPartInWords(a.bodyPart)}`);
  const isMr = a.modality === null || a.modality === 'MR';
  if (
    isMr &&
    applicability.sequences !== undefined &&
    a.sequence !== null &&
    !applicability.sequences.includes(a.sequence)
  )
    mismatches.push(`the sequence is ${sequenceInWords(a.sequence)}`);
  // A thin-slice volume is re-cut axially before reading; a 2D or thick-slice series is not.
  if (
    applicability.planes !== undefined &&
    a.plane !== null &&
    a.hasDicomHeader &&
    !a.isNearIsotropic &&
    !applicability.planes.includes(a.plane)
  )
    mismatches.push(`the slices are ${a.plane}`);
  const dimensionality = a.isThreeD ? '3d' : '2d';
  if (
    applicability.dimensionality !== undefined &&
    !applicability.dimensionality.includes(dimensionality)
  )
    mismatches.push(a.isThreeD ? 'it is a volume' : 'it is a single 2D image');
  if (a.imageType.includes('LOCALIZER')) mismatches.push('it is a localizer');
  if (applicability.inPlanePixels !== undefined && a.rows !== null && a.columns !== null) {
    const size = applicability.inPlanePixels;
    if (outside(a.rows, size) || outside(a.columns, size))
      mismatches.push(
        `its images are ${a.columns}×${a.rows} pixels (the model reads ${size.min} to ${size.max})`,
      );
  }
  if (applicability.pixelSpacingMm !== undefined && a.pixelSpacingMm !== null) {
    const spacing = applicability.pixelSpacingMm;
    if (outside(a.pixelSpacingMm, spacing))
      mismatches.push(
        `its pixels are ${a.pixelSpacingMm.toFixed(2)} mm (the model reads ${spacing.min} to ${spacing.max} mm)`,
      );
  }
  const checkedFrom: ApplicabilityCheck['checkedFrom'] = ['image-geometry'];
  if (a.hasDicomHeader) checkedFrom.unshift('dicom-attributes');
  return {
    isApplicable: mismatches.length === 0,
    mismatches,
    reason:
      mismatches.length === 0
        ? null
        : `This model reads ${applicability.description}; this series is ${describeSeries(a)}: ${mismatches.join('; ')}.`,
    checkedFrom,
  };
}
