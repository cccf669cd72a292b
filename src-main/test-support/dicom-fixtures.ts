import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import type { Vector3 } from '../../src-shared/geometry/vector.js';

/**
 * Writes real DICOM Part 10 files for tests with dcmjs, so no test depends on copied data.
 * Pixel values follow a known pattern so decoders can be checked exactly.
 */
export interface DicomFixtureOptions {
  patientId?: string | null;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: 'M' | 'F' | 'O';
  studyInstanceUid?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesInstanceUid?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  sopInstanceUid?: string;
  instanceNumber?: number;
  modality?: string;
  rows?: number;
  columns?: number;
  bitsAllocated?: 8 | 16;
  /** Defaults to 8 for 8-bit and 12 for 16-bit images (High Bit follows). */
  bitsStored?: number;
  /** 1 for signed (two's complement) samples; defaults to 0. */
  pixelRepresentation?: 0 | 1;
  /** Row, column spacing in mm (DICOM PixelSpacing order). */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  imagePosition?: Vector3;
  imageOrientation?: [number, number, number, number, number, number];
  transferSyntaxUid?: string;
  /** Value at (row, column); defaults to a gradient. */
  pixel?: (row: number, column: number) => number;
  /**
   * Compressed codestreams, one per frame, written as encapsulated Pixel Data (Basic Offset
   * Table, one fragment per frame); `transferSyntaxUid` must then name a compressed syntax.
   */
  encapsulatedFrames?: Uint8Array[];
  /** Drop the 128-byte preamble and 'DICM' (raw data set). */
  withoutPreamble?: boolean;
  /**
   * More attributes by dcmjs keyword (e.g. BodyPartExamined, ProtocolName, ImageType,
   * InversionTime), for tests of what a series is.
   */
  extraAttributes?: Record<string, string | number | string[]>;
}

export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const IMPLICIT_LE = '1.2.840.10008.1.2';

/** A dcmjs Part 10 dictionary: the file meta header for the SOP instance, then `dataset`. */
export function dicomDict(
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntaxUid: string,
  dataset: Record<string, unknown>,
): InstanceType<typeof dcmjs.data.DicomDict> {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return dict;
}

let counter = 0;
export function fixtureUid(): string {
  counter++;
  return `1.2.826.0.1.3680043.8.498.${process.pid}.${Date.now() % 1_000_000}.${counter}`;
}

export function makeDicom(options: DicomFixtureOptions = {}): Buffer {
  const rows = options.rows ?? 16;
  const columns = options.columns ?? 16;
  const bits = options.bitsAllocated ?? 16;
  const pixel =
    options.pixel ?? ((r: number, c: number) => (r * columns + c) % (bits === 8 ? 256 : 4096));
  const pixels = bits === 8 ? new Uint8Array(rows * columns) : new Uint16Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) pixels[r * columns + c] = pixel(r, c);
  const bitsStored = options.bitsStored ?? (bits === 8 ? 8 : 12);
  const sopInstanceUid = options.sopInstanceUid ?? fixtureUid();
  const sopClassUid = '1.2.840.10008.5.1.4.1.1.4';
  const transferSyntaxUid = options.transferSyntaxUid ?? EXPLICIT_LE;
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: options.studyInstanceUid ?? fixtureUid(),
    SeriesInstanceUID: options.seriesInstanceUid ?? fixtureUid(),
    StudyDate: options.studyDate ?? '20240115',
    StudyDescription: options.studyDescription ?? 'MR BRAIN',
    SeriesDescription: options.seriesDescription ?? 'AX FLAIR',
    SeriesNumber: String(options.seriesNumber ?? 1),
    InstanceNumber: String(options.instanceNumber ?? 1),
    Modality: options.modality ?? 'MR',
    PatientName: options.patientName ?? 'Test^Patient',
    PatientBirthDate: options.patientBirthDate ?? '19700101',
    PatientSex: options.patientSex ?? 'F',
    Rows: rows,
    Columns: columns,
    BitsAllocated: bits,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: options.pixelRepresentation ?? 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelSpacing: options.pixelSpacing ?? [0.9, 0.8],
    SliceThickness: String(options.sliceThickness ?? 5),
    ImagePositionPatient: options.imagePosition ?? [0, 0, 0],
    ImageOrientationPatient: options.imageOrientation ?? [1, 0, 0, 0, 1, 0],
    PixelData: pixels.buffer,
    _vrMap: { PixelData: bits === 8 ? 'OB' : 'OW' },
  };
  if (options.encapsulatedFrames !== undefined) {
    // dcmjs encapsulates an array of frames when the transfer syntax is a compressed one.
    dataset['PixelData'] = options.encapsulatedFrames.map((f) => Uint8Array.from(f).buffer);
    dataset['NumberOfFrames'] = String(options.encapsulatedFrames.length);
    dataset['_vrMap'] = { PixelData: 'OB' };
  }
  if (options.patientId !== null) dataset['PatientID'] = options.patientId ?? 'NS-0001';
  Object.assign(dataset, options.extraAttributes ?? {});
  const dict = dicomDict(sopClassUid, sopInstanceUid, transferSyntaxUid, dataset);
  // One fragment per frame (dcmjs would otherwise cut codestreams into 20 KiB fragments).
  const writeOptions =
    options.encapsulatedFrames === undefined ? {} : { fragmentMultiframe: false };
  const file = Buffer.from(dict.write(writeOptions));
  if (options.withoutPreamble !== true) return file;
  // Skip preamble, 'DICM' and the group-0002 meta header: what old exports look like.
  const metaLength = file.readUInt32LE(132 + 8);
  return file.subarray(132 + 12 + metaLength);
}

/**
 * Writes `count` slices of one series into `dir`, 5 mm apart; returns their paths.
 * Slice i (from 1) has SOP Instance UID `<seriesInstanceUid>.<i>`.
 */
export function writeDicomSeries(
  dir: string,
  count: number,
  options: DicomFixtureOptions & { spacingZ?: number; prefix?: string } = {},
): string[] {
  mkdirSync(dir, { recursive: true });
  const studyInstanceUid = options.studyInstanceUid ?? fixtureUid();
  const seriesInstanceUid = options.seriesInstanceUid ?? fixtureUid();
  const spacingZ = options.spacingZ ?? 5;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${options.prefix ?? 'slice'}-${String(i + 1).padStart(4, '0')}.dcm`);
    writeFileSync(
      path,
      makeDicom({
        ...options,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid: `${seriesInstanceUid}.${i + 1}`,
        instanceNumber: i + 1,
        imagePosition: [0, 0, i * spacingZ],
        pixel: options.pixel ?? ((r, c) => (r * 7 + c * 3 + i * 11) % 4096),
      }),
    );
    paths.push(path);
  }
  return paths;
}

/** A 64×64 MR slice's pixels: a head-shaped disc with one bright spot, in 12-bit MR values. */
export function headWithSpot(r: number, c: number): number {
  if ((r - 32) ** 2 + (c - 32) ** 2 > 30 ** 2) return 0;
  return r >= 14 && r < 26 && c >= 14 && c < 26 ? 3000 : 700;
}
