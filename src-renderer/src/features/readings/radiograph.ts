import type { Scan } from '../../../../src-shared/contract/entities.js';

/** Radiography modalities (DICOM CR, DX) a chest X-ray comes as. */
const RADIOGRAPHY = new Set(['CR', 'DX']);

/**
 * Whether a scan may be a radiograph, so its page offers X-ray readings: a CR/DX series, or a
 * single picture (PNG/JPEG). The core decides what the picture is when the reading runs.
 */
export function isRadiographCandidate(scan: Pick<Scan, 'modality' | 'kind'>): boolean {
  return (scan.modality !== null && RADIOGRAPHY.has(scan.modality)) || scan.kind === 'image';
}
