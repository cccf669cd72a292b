import type { NaturalDataset } from 'dcmjs';
import { code, dicomDateTime, newUid, writePart10 } from './part10.js';
import { segmentCodesOf } from './segment-codes.js';
import { gridAttributes, type SourceContext } from './source-context.js';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** The writing application, as the Enhanced General Equipment module wants it. */
export interface WriterEquipment {
  manufacturer: string;
  modelName: string;
  softwareVersion: string;
  /** Required by Enhanced General Equipment; an installation has no serial: 'NONE' (see docs). */
  deviceSerialNumber: string;
}

export interface SegmentationInput {
  source: SourceContext;
  /** The mask on the analysed grid (x fastest, then row, then slice); value v marks segment v. */
  mask: Uint8Array;
  /** Segment v for each non-background label of the model's manifest (labels[v]). */
  labels: Array<{ value: number; label: string }>;
  model: { id: string; version: string };
  equipment: WriterEquipment;
  createdAt: Date;
  seriesNumber: number;
  seriesDescription: string;
}

/** Attributes every object written from the source shares: patient, study, equipment, dates. */
export function commonAttributes(
  source: SourceContext,
  equipment: WriterEquipment,
  createdAt: Date,
): NaturalDataset {
  const { date, time } = dicomDateTime(createdAt);
  return {
    // dcmjs writes strings as UTF-8.
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    ...source.patientStudy,
    SeriesDate: date,
    SeriesTime: time,
    ContentDate: date,
    ContentTime: time,
    Manufacturer: equipment.manufacturer,
    ManufacturerModelName: equipment.modelName,
    DeviceSerialNumber: equipment.deviceSerialNumber,
    SoftwareVersions: equipment.softwareVersion,
  };
}

/** 0/1 bits, little bit first, frames back to back without padding (PS3.5 8.1.1), even length. */
function packFrames(
  mask: Uint8Array,
  frameSize: number,
  frames: Array<{ slice: number; value: number }>,
): ArrayBuffer {
  const bitCount = frameSize * frames.length;
  const bytes = new Uint8Array(Math.ceil(bitCount / 8) + (Math.ceil(bitCount / 8) % 2));
  let bit = 0;
  for (const { slice, value } of frames) {
    const start = slice * frameSize;
    for (let i = 0; i < frameSize; i++, bit++)
      if (mask[start + i] === value) bytes[bit >> 3]! |= 1 << (bit & 7);
  }
  return bytes.buffer;
}

/**
 * The analysis mask as a DICOM Segmentation (BINARY): one segment per label, one frame per slice
 * and segment (segments outer, slices in the grid's order along the normal), each frame placed
 * by Image Position (Patient) and, for a DICOM source, derived from its source image.
 */
export function writeSegmentation(input: SegmentationInput): {
  bytes: Buffer;
  sopInstanceUid: string;
  seriesInstanceUid: string;
} {
  const { source, mask, labels } = input;
  const { grid } = source;
  const frameSize = grid.rows * grid.columns;
  if (mask.length !== frameSize * grid.slices)
    throw new Error(
      `The mask has ${mask.length} voxels, not ${grid.columns}×${grid.rows}×${grid.slices}.`,
    );
  if (labels.length === 0) throw new Error('A segmentation needs at least one segment label.');
  const attributes = gridAttributes(grid);
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const frames = labels.flatMap((segment, s) =>
    Array.from({ length: grid.slices }, (_, slice) => ({
      segment: s + 1,
      value: segment.value,
      slice,
    })),
  );
  const sourceSlices = source.series?.slices ?? null;

  const perFrame = frames.map(({ segment, slice }) => {
    const item: NaturalDataset = {
      FrameContentSequence: [{ DimensionIndexValues: [segment, slice + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: attributes.position(slice) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
    };
    const image = sourceSlices?.[slice];
    if (image !== undefined)
      item['DerivationImageSequence'] = [
        {
          DerivationCodeSequence: [code('113076', 'DCM', 'Segmentation')],
          SourceImageSequence: [
            {
              ReferencedSOPClassUID: image.sopClassUid,
              ReferencedSOPInstanceUID: image.sopInstanceUid,
              ...(image.referencedFrameNumber !== null && {
                ReferencedFrameNumber: image.referencedFrameNumber,
              }),
              PurposeOfReferenceCodeSequence: [
                code('121322', 'DCM', 'Source image for image processing operation'),
              ],
            },
          ],
        },
      ];
    return item;
  });

  const dimensionOrganizationUid = newUid();
  const dataset: NaturalDataset = {
    ...commonAttributes(source, input.equipment, input.createdAt),
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    Modality: 'SEG',
    // What the analysis pipeline reads (brain MR); names an unpaired part, so no Laterality.
    BodyPartExamined: 'BRAIN',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: String(input.seriesNumber),
    SeriesDescription: input.seriesDescription,
    InstanceNumber: '1',
    FrameOfReferenceUID: source.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: 'TUMOUR',
    ContentDescription: `${input.model.id} ${input.model.version}`.slice(0, 64),
    ContentCreatorName: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: grid.rows,
    Columns: grid.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentSequence: labels.map((segment, s) => {
      const codes = segmentCodesOf(segment.label);
      return {
        SegmentNumber: s + 1,
        SegmentLabel: segment.label.slice(0, 64),
        SegmentDescription: segment.label.slice(0, 64),
        SegmentedPropertyCategoryCodeSequence: [codes.category],
        SegmentedPropertyTypeCodeSequence: [codes.type],
        SegmentAlgorithmType: 'AUTOMATIC',
        SegmentAlgorithmName: input.model.id.slice(0, 64),
        SegmentationAlgorithmIdentificationSequence: [
          {
            AlgorithmFamilyCodeSequence: [code('123110', 'DCM', 'Artificial Intelligence')],
            AlgorithmName: input.model.id.slice(0, 64),
            AlgorithmVersion: input.model.version.slice(0, 64),
          },
        ],
      };
    }),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionOrganizationType: '3D',
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x0062000b,
        FunctionalGroupPointer: 0x0062000a,
        DimensionDescriptionLabel: 'Segment Number',
      },
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x00200032,
        FunctionalGroupPointer: 0x00209113,
        DimensionDescriptionLabel: 'Image Position Patient',
      },
    ],
    NumberOfFrames: String(frames.length),
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: attributes.orientation }],
        PixelMeasuresSequence: [
          {
            PixelSpacing: attributes.pixelSpacing,
            SliceThickness: attributes.sliceSpacing,
            SpacingBetweenSlices: attributes.sliceSpacing,
          },
        ],
      },
    ],
    PerFrameFunctionalGroupsSequence: perFrame,
    PixelData: packFrames(mask, frameSize, frames),
    _vrMap: { PixelData: 'OB' },
  };
  if (source.series !== null)
    dataset['ReferencedSeriesSequence'] = [
      {
        SeriesInstanceUID: source.series.seriesInstanceUid,
        ReferencedInstanceSequence: uniqueInstances(source.series.slices),
      },
    ];
  return { bytes: writePart10(dataset), sopInstanceUid, seriesInstanceUid };
}

/** Each referenced instance once (a multi-frame source is one instance for many slices). */
export function uniqueInstances(
  slices: ReadonlyArray<{ sopClassUid: string; sopInstanceUid: string }>,
): NaturalDataset[] {
  const seen = new Set<string>();
  const out: NaturalDataset[] = [];
  for (const s of slices) {
    if (seen.has(s.sopInstanceUid)) continue;
    seen.add(s.sopInstanceUid);
    out.push({ ReferencedSOPClassUID: s.sopClassUid, ReferencedSOPInstanceUID: s.sopInstanceUid });
  }
  return out;
}
