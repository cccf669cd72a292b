import { dicomDict, EXPLICIT_LE, fixtureUid } from './dicom-fixtures.js';
import type { Vector3 } from '../../src-shared/geometry/vector.js';

const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export interface SegFrameFixture {
  segment: number;
  /** The image the frame was drawn on; null leaves out the Derivation Image Sequence. */
  sopInstanceUid: string | null;
  position?: Vector3;
  /** 0/1 for BINARY, 0..maximum for FRACTIONAL. */
  pixel: (row: number, column: number) => number;
}

export interface SegFixtureOptions {
  referencedSeriesUid: string;
  studyInstanceUid?: string;
  rows?: number;
  columns?: number;
  type?: 'BINARY' | 'FRACTIONAL';
  maximumFractionalValue?: number;
  segments?: Array<{ number: number; label: string }>;
  frames: SegFrameFixture[];
  /** Overrides Number of Frames (for a header that disagrees with the functional groups). */
  numberOfFrames?: number;
  seriesDescription?: string;
  /** The SEG's own SOP Instance UID (a fresh one by default). */
  sopInstanceUid?: string;
}

/** Packs 0/1 pixels as DICOM does for Bits Allocated 1: little bit first, frames back to back. */
function packBits(values: number[]): ArrayBuffer {
  const bytes = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== 0) bytes[i >> 3]! |= 1 << (i & 7);
  });
  return bytes.buffer;
}

/** A DICOM SEG (Segmentation Storage) written with dcmjs from its elements, for tests. */
export function makeDicomSeg(options: SegFixtureOptions): Buffer {
  const rows = options.rows ?? 16;
  const columns = options.columns ?? 16;
  const type = options.type ?? 'BINARY';
  const values: number[] = [];
  for (const frame of options.frames)
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) values.push(frame.pixel(r, c));
  const sopInstanceUid = options.sopInstanceUid ?? fixtureUid();
  const segments = options.segments ?? [
    { number: 1, label: 'Tumour' },
    { number: 2, label: 'Oedema' },
  ];
  const dataset: Record<string, unknown> = {
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: options.studyInstanceUid ?? fixtureUid(),
    SeriesInstanceUID: fixtureUid(),
    SeriesNumber: '99',
    InstanceNumber: '1',
    Modality: 'SEG',
    SeriesDescription: options.seriesDescription ?? 'Tumour segmentation',
    ContentLabel: 'TUMOUR',
    PatientID: 'NS-0001',
    PatientName: 'Test^Patient',
    Rows: rows,
    Columns: columns,
    NumberOfFrames: String(options.numberOfFrames ?? options.frames.length),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: type === 'BINARY' ? 1 : 8,
    BitsStored: type === 'BINARY' ? 1 : 8,
    HighBit: type === 'BINARY' ? 0 : 7,
    PixelRepresentation: 0,
    SegmentationType: type,
    ...(type === 'FRACTIONAL' && {
      SegmentationFractionalType: 'PROBABILITY',
      MaximumFractionalValue: options.maximumFractionalValue ?? 255,
    }),
    SegmentSequence: segments.map((s) => ({
      SegmentNumber: s.number,
      SegmentLabel: s.label,
      SegmentAlgorithmType: 'MANUAL',
    })),
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: options.referencedSeriesUid,
        ReferencedInstanceSequence: [],
      },
    ],
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
        PixelMeasuresSequence: [{ PixelSpacing: [0.9, 0.8], SliceThickness: '5' }],
      },
    ],
    PerFrameFunctionalGroupsSequence: options.frames.map((frame) => ({
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: frame.segment }],
      ...(frame.sopInstanceUid !== null && {
        DerivationImageSequence: [
          {
            SourceImageSequence: [
              {
                ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
                ReferencedSOPInstanceUID: frame.sopInstanceUid,
              },
            ],
          },
        ],
      }),
      ...(frame.position !== undefined && {
        PlanePositionSequence: [{ ImagePositionPatient: frame.position }],
      }),
    })),
    PixelData: type === 'BINARY' ? packBits(values) : Uint8Array.from(values).buffer,
    _vrMap: { PixelData: 'OB' },
  };
  return Buffer.from(dicomDict(SEGMENTATION_STORAGE, sopInstanceUid, EXPLICIT_LE, dataset).write());
}
