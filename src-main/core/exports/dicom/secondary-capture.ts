import { code, newUid, writePart10 } from './part10.js';
import { commonAttributes, type WriterEquipment } from './segmentation.js';
import type { SourceContext } from './source-context.js';

export const SECONDARY_CAPTURE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';

export interface SecondaryCaptureInput {
  source: SourceContext;
  /** The slices to write, each as 8-bit interleaved RGB (rows × columns × 3). */
  images: Array<{ slice: number; rgb: Uint8Array }>;
  equipment: WriterEquipment;
  createdAt: Date;
  seriesNumber: number;
  seriesDescription: string;
}

/**
 * Overlay pictures as Secondary Capture Images (one instance per slice, one series), for PACS
 * and viewers that cannot show a SEG: the outline is burned into the pixels, so Burned In
 * Annotation is YES, and each image names the source image it was drawn on.
 */
export function writeSecondaryCaptures(input: SecondaryCaptureInput): {
  seriesInstanceUid: string;
  instances: Array<{ slice: number; sopInstanceUid: string; bytes: Buffer }>;
} {
  const { source } = input;
  const { rows, columns } = source.grid;
  const seriesInstanceUid = newUid();
  const common = commonAttributes(source, input.equipment, input.createdAt);
  const instances = input.images.map(({ slice, rgb }, n) => {
    if (rgb.length !== rows * columns * 3)
      throw new Error(`Overlay ${slice} has ${rgb.length} bytes, not ${columns}×${rows} RGB.`);
    const sopInstanceUid = newUid();
    const image = source.series?.slices[slice];
    const pixelData = new Uint8Array(rgb.length + (rgb.length % 2));
    pixelData.set(rgb);
    const bytes = writePart10({
      ...common,
      SOPClassUID: SECONDARY_CAPTURE_STORAGE,
      SOPInstanceUID: sopInstanceUid,
      Modality: 'OT',
      // The brain is unpaired: with the body part named, Laterality (Type 2C) is not needed.
      BodyPartExamined: 'BRAIN',
      SeriesInstanceUID: seriesInstanceUid,
      SeriesNumber: String(input.seriesNumber),
      SeriesDescription: input.seriesDescription,
      ConversionType: 'WSD',
      InstanceNumber: String(n + 1),
      PatientOrientation: '',
      ImageType: ['DERIVED', 'SECONDARY'],
      DerivationDescription: `Lesion outline (red) burned in on slice ${slice + 1}`,
      ImageComments: `Slice ${slice + 1} of ${source.grid.slices}`,
      BurnedInAnnotation: 'YES',
      ...(image !== undefined && {
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
      }),
      SamplesPerPixel: 3,
      PhotometricInterpretation: 'RGB',
      PlanarConfiguration: 0,
      Rows: rows,
      Columns: columns,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      LossyImageCompression: '00',
      PixelData: pixelData.buffer,
      _vrMap: { PixelData: 'OB' },
    });
    return { slice, sopInstanceUid, bytes };
  });
  return { seriesInstanceUid, instances };
}
