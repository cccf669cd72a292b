import { randomUUID } from 'node:crypto';
import dcmjs, { type NaturalDataset } from 'dcmjs';

/** Explicit VR Little Endian: what every writer here uses (read by every PACS). */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * Neurosphere's Implementation Class UID (file meta header): a UUID-derived UID (2.25 root,
 * PS3.5 B.2) made once for the application, so no registered org root is needed.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.303073970713184419664861081336790124051';
export const IMPLEMENTATION_VERSION_NAME = 'NEUROSPHERE';

/** A new globally unique UID from a random UUID (PS3.5 B.2: "2.25." + the UUID as an integer). */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

/**
 * A decimal string (DS) value: at most 16 characters (PS3.5 6.2), so positions like
 * -119.99999999999997 are rounded to what fits rather than refused by validators.
 */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} cannot be written as a DICOM number.`);
  const clean = Math.abs(value) < 1e-10 ? 0 : value;
  for (let digits = 10; digits >= 1; digits--) {
    const text = String(Number(clean.toFixed(digits)));
    if (text.length <= 16) return text;
  }
  const text = clean.toExponential(8);
  if (text.length <= 16) return text;
  throw new Error(`${value} does not fit a DICOM decimal string.`);
}

/** DICOM DA and TM values of a moment, in UTC (the app stores times in UTC). */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return {
    date: iso.slice(0, 10).replace(/-/g, ''),
    time: iso.slice(11, 19).replace(/:/g, ''),
  };
}

/** A code sequence item (Code Sequence Macro). */
export function code(value: string, scheme: string, meaning: string): NaturalDataset {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

/**
 * A Part 10 file (preamble, "DICM", file meta group, data set) of a naturalized data set, in
 * Explicit VR Little Endian, written by dcmjs. The data set must hold SOPClassUID and
 * SOPInstanceUID; the meta header repeats them.
 */
export function writePart10(dataset: NaturalDataset): Buffer {
  const sopClassUid = dataset['SOPClassUID'];
  const sopInstanceUid = dataset['SOPInstanceUID'];
  if (typeof sopClassUid !== 'string' || typeof sopInstanceUid !== 'string')
    throw new Error('A DICOM data set needs its SOPClassUID and SOPInstanceUID.');
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}
