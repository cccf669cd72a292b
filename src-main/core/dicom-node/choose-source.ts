import {
  sourcesOf,
  type DicomDestination,
  type DicomSource,
} from '../../../src-shared/contract/dicom-node.js';
import { AppError } from '../../../src-shared/errors.js';

/**
 * How to query or retrieve from a destination: the way asked for, if the destination has it;
 * otherwise DIMSE where configured, else DICOMweb. Asking for a way it lacks is said in words.
 */
export function chooseSource(
  destination: DicomDestination,
  asked: DicomSource | undefined,
): DicomSource {
  const available = sourcesOf(destination);
  if (asked === undefined) {
    const first = available[0];
    if (first === undefined)
      throw new AppError(
        'INVALID_INPUT',
        `The PACS destination "${destination.name}" has neither DIMSE details nor a DICOMweb URL: complete it in Settings → DICOM.`,
      );
    return first;
  }
  if (available.includes(asked)) return asked;
  throw new AppError(
    'INVALID_INPUT',
    asked === 'dicomweb'
      ? `The PACS destination "${destination.name}" has no DICOMweb URL: add one in Settings → DICOM, or query it by DIMSE.`
      : `The PACS destination "${destination.name}" is DICOMweb only (no AE title, host and port): query it by DICOMweb, or add its DIMSE details in Settings → DICOM.`,
  );
}
