import dcmjs from 'dcmjs';
import { AppError } from '../../../src-shared/errors.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../exports/dicom/part10.js';
import {
  deidentifyDataset,
  type DeidentifyContext,
  type DeidentifyStats,
  type DicomDataset,
} from './deidentify-dataset.js';

/** A Part 10 file as dcmjs reads it: the file meta group and the data set. */
export interface DicomFile {
  meta: DicomDataset;
  dataset: DicomDataset;
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';

function isPart10(bytes: Uint8Array): boolean {
  return (
    bytes.length > 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

/**
 * A raw data set (no preamble, no "DICM", no meta group: what old exports and some CDs hold,
 * and what the importer accepts) given the file meta a Part 10 file needs: Explicit VR Little
 * Endian when the first element carries a VR, else Implicit.
 */
function asPart10(bytes: Uint8Array): ArrayBuffer {
  const vr = String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0);
  const transferSyntax = /^[A-Z]{2}$/.test(vr) ? EXPLICIT_LE : IMPLICIT_LE;
  const header = new dcmjs.data.DicomDict({
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020010': { vr: 'UI', Value: [transferSyntax] },
  });
  header.dict = {};
  const head = new Uint8Array(header.write());
  const whole = new Uint8Array(head.length + bytes.length);
  whole.set(head);
  whole.set(bytes, head.length);
  return whole.buffer;
}

export function readDicomFile(bytes: Uint8Array, name: string): DicomFile {
  const buffer = isPart10(bytes)
    ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    : asPart10(bytes);
  try {
    const file = dcmjs.data.DicomMessage.readFile(buffer as ArrayBuffer);
    const meta = file.meta as DicomDataset;
    const dataset = file.dict as DicomDataset;
    if (dataset['00080016'] === undefined || dataset['00080018'] === undefined)
      throw new Error('no SOP Class and Instance UID');
    // A raw data set's meta names no SOP: it comes from the data set.
    meta['00020002'] ??= { vr: 'UI', Value: dataset['00080016'].Value ?? [] };
    return { meta, dataset };
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `${name} cannot be read as a DICOM file (${error instanceof Error ? error.message : String(error)}); it was not exported.`,
    );
  }
}

/** A string value of a data set (first value, trimmed), or null. */
export function stringValue(dataset: DicomDataset, tag: string): string | null {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value.trim();
  if (value !== null && typeof value === 'object' && 'Alphabetic' in value)
    return String((value as { Alphabetic: unknown }).Alphabetic).trim();
  return null;
}

const SECONDARY_CAPTURE_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.7',
  '1.2.840.10008.5.1.4.1.1.7.1',
  '1.2.840.10008.5.1.4.1.1.7.2',
  '1.2.840.10008.5.1.4.1.1.7.3',
  '1.2.840.10008.5.1.4.1.1.7.4',
]);
const ULTRASOUND_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.6.1',
  '1.2.840.10008.5.1.4.1.1.3.1',
  '1.2.840.10008.5.1.4.1.1.6.2',
]);

/**
 * Why an image may carry identifying text in its pixels, which the basic profile does not
 * clean (the Clean Pixel Data option is not offered): Burned In Annotation YES, a secondary
 * capture (screenshots, scanned documents) or an ultrasound image (their headers are usually
 * burned in) whose Burned In Annotation does not say NO. Null when none applies.
 */
export function burnedInReason(dataset: DicomDataset): string | null {
  const burnedIn = stringValue(dataset, '00280301')?.toUpperCase() ?? null;
  if (burnedIn === 'YES') return 'Burned In Annotation is YES';
  if (burnedIn === 'NO') return null;
  const sopClass = stringValue(dataset, '00080016') ?? '';
  const modality = stringValue(dataset, '00080060') ?? '';
  if (SECONDARY_CAPTURE_CLASSES.has(sopClass))
    return 'it is a secondary capture and does not say whether text is burned in';
  if (ULTRASOUND_CLASSES.has(sopClass) || modality === 'US')
    return 'it is an ultrasound image and does not say whether text is burned in';
  return null;
}

/**
 * A de-identified copy of a Part 10 file: the data set under the profile, the meta header's
 * Media Storage SOP Instance UID replaced to match, Neurosphere as the implementation, the
 * source application's AE title dropped. The transfer syntax (and pixel data) are unchanged.
 */
export function deidentifyFile(
  file: DicomFile,
  context: DeidentifyContext,
): { bytes: Buffer; dataset: DicomDataset; stats: DeidentifyStats } {
  const { dataset, stats } = deidentifyDataset(file.dataset, context);
  const meta: DicomDataset = { ...file.meta };
  const sopInstanceUid = stringValue(dataset, '00080018');
  if (sopInstanceUid !== null) meta['00020003'] = { vr: 'UI', Value: [sopInstanceUid] };
  meta['00020012'] = { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] };
  meta['00020013'] = { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] };
  delete meta['00020016'];
  delete meta['00020017'];
  delete meta['00020018'];
  delete meta['00020100'];
  delete meta['00020102'];
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  try {
    return { bytes: Buffer.from(dict.write()), dataset, stats };
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `A file could not be written de-identified (${error instanceof Error ? error.message : String(error)}); it was not exported.`,
    );
  }
}

/** One de-identified file and the identity it now has. */
export interface DeidentifiedInstance {
  bytes: Buffer;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  /** The pseudonymous Patient ID written. */
  pseudonymId: string;
  /** Why the pixels may hold identifying text (the user confirmed), or null. */
  burnedIn: string | null;
  stats: DeidentifyStats;
}

/**
 * Reads a Part 10 file, refuses it (CONFLICT) when its pixels may carry burned-in text unless
 * `allowBurnedIn`, and writes it de-identified with the patient's pseudonym and the mapping's UIDs.
 */
export function deidentifyPart10(
  bytes: Uint8Array,
  name: string,
  mapping: {
    mapUid(uid: string): string;
    pseudonymOf(
      patient: { id: string | null; issuer: string | null; name: string | null },
      appPatientId: string | null,
    ): { pseudonymId: string; pseudonymName: string; dateOffsetDays: number };
  },
  options: DeidentifyContext['options'] & { allowBurnedIn: boolean; appPatientId: string | null },
): DeidentifiedInstance {
  const file = readDicomFile(bytes, name);
  const burnedIn = burnedInReason(file.dataset);
  if (burnedIn !== null && !options.allowBurnedIn)
    throw new AppError(
      'CONFLICT',
      `${name} may show identifying text in its pixels (${burnedIn}); de-identification cannot clean pixels. ` +
        'Check the images and confirm the export to include them, or leave them out.',
      { reason: 'burned-in', file: name },
    );
  const pseudonym = mapping.pseudonymOf(
    {
      id: stringValue(file.dataset, '00100020'),
      issuer: stringValue(file.dataset, '00100021'),
      name: stringValue(file.dataset, '00100010'),
    },
    options.appPatientId,
  );
  const {
    bytes: out,
    dataset,
    stats,
  } = deidentifyFile(file, {
    options: {
      dates: options.dates,
      retainPatientCharacteristics: options.retainPatientCharacteristics,
      retainUids: options.retainUids,
    },
    mapUid: (uid) => mapping.mapUid(uid),
    pseudonym: {
      id: pseudonym.pseudonymId,
      name: pseudonym.pseudonymName,
      dateOffsetDays: pseudonym.dateOffsetDays,
    },
  });
  return {
    bytes: out,
    studyInstanceUid: stringValue(dataset, '0020000D'),
    seriesInstanceUid: stringValue(dataset, '0020000E'),
    sopInstanceUid: stringValue(dataset, '00080018'),
    pseudonymId: pseudonym.pseudonymId,
    burnedIn,
    stats,
  };
}
