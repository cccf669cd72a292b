import type { DicomDataset } from './dicom-dataset.js';

/**
 * Private attributes kept by the Retain Safe Private Option (PS3.15 E.3.10): only numeric
 * acquisition parameters a brain MR analysis needs (diffusion b-values and directions, mosaic
 * size) that identify nobody, by private creator, group and element byte. Everything else
 * private is removed.
 */
const SAFE_PRIVATE: ReadonlyArray<{ creator: string; group: number; elements: readonly number[] }> =
  [
    // Siemens: NumberOfImagesInMosaic, SliceMeasurementDuration, B_value, DiffusionDirectionality,
    // DiffusionGradientDirection, B_matrix.
    { creator: 'SIEMENS MR HEADER', group: 0x0019, elements: [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x27] },
    // GE: the b-value (slop_int_6..9) and the diffusion gradient direction.
    { creator: 'GEMS_PARM_01', group: 0x0043, elements: [0x39] },
    { creator: 'GEMS_ACQU_01', group: 0x0019, elements: [0xbb, 0xbc, 0xbd] },
    // Philips: Diffusion B-Factor and Diffusion Direction.
    { creator: 'Philips Imaging DD 001', group: 0x2001, elements: [0x03, 0x04] },
  ];

function text(dataset: DicomDataset, tag: string): string | null {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value.trim();
  if (value instanceof ArrayBuffer)
    return new TextDecoder().decode(value).replace(/\0/g, '').trim();
  return null;
}

/** Whether a private tag (odd group) of `dataset` is on the safe list, its creator included. */
export function isSafePrivateTag(dataset: DicomDataset, tag: string): boolean {
  const group = parseInt(tag.slice(0, 4), 16);
  const element = parseInt(tag.slice(4), 16);
  const safeHere = SAFE_PRIVATE.filter((s) => s.group === group);
  if (safeHere.length === 0) return false;
  if (element >= 0x10 && element <= 0xff) {
    // A private creator: kept when a safe element of its block is present.
    const creator = text(dataset, tag);
    const block = element;
    return safeHere.some(
      (s) =>
        s.creator === creator &&
        s.elements.some(
          (e) =>
            dataset[
              `${tag.slice(0, 4)}${((block << 8) | e).toString(16).toUpperCase().padStart(4, '0')}`
            ] !== undefined,
        ),
    );
  }
  if (element < 0x1000) return false;
  const block = element >> 8;
  const creatorTag = `${tag.slice(0, 4)}${block.toString(16).toUpperCase().padStart(4, '0')}`;
  const creator = text(dataset, creatorTag);
  return safeHere.some((s) => s.creator === creator && s.elements.includes(element & 0xff));
}
