import { AppError } from '../../../../src-shared/errors.js';
import { dicomDateTime, newUid, writePart10 } from './part10.js';
import { commonAttributes, uniqueInstances, type WriterEquipment } from './segmentation.js';
import type { SourceContext } from './source-context.js';

export const ENCAPSULATED_PDF_STORAGE = '1.2.840.10008.5.1.4.1.1.104.1';

export interface EncapsulatedPdfInput {
  pdf: Uint8Array;
  source: SourceContext;
  documentTitle: string;
  equipment: WriterEquipment;
  createdAt: Date;
  seriesNumber: number;
  seriesDescription: string;
}

/** The PDF's own "%PDF-" signature: anything else is not a PDF and is refused. */
function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** Refuses bytes that are not a PDF, before anything is written. */
export function assertPdf(bytes: Uint8Array): void {
  if (!isPdf(bytes))
    throw new AppError(
      'INVALID_INPUT',
      'The report is not a PDF (it does not start with "%PDF-"): make the PDF first.',
    );
}

/**
 * A report PDF as a DICOM Encapsulated PDF (PS3.3 A.45.1) in the source's study, so a PACS
 * files it with the images. The document is stored byte for byte; an odd length gets one
 * trailing NUL (PS3.3 C.24.2.1) and Encapsulated Document Length keeps the true length.
 */
export function writeEncapsulatedPdf(input: EncapsulatedPdfInput): {
  bytes: Buffer;
  sopInstanceUid: string;
  seriesInstanceUid: string;
} {
  if (!isPdf(input.pdf))
    throw new Error(
      'The report is not a PDF (it does not start with "%PDF-"): make the PDF first.',
    );
  const padded = new Uint8Array(input.pdf.length + (input.pdf.length % 2));
  padded.set(input.pdf);
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const { date, time } = dicomDateTime(input.createdAt);
  const source = input.source;
  const bytes = writePart10({
    ...commonAttributes(source, input.equipment, input.createdAt),
    SOPClassUID: ENCAPSULATED_PDF_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    Modality: 'DOC',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: String(input.seriesNumber),
    SeriesDescription: input.seriesDescription,
    ConversionType: 'WSD',
    InstanceNumber: '1',
    AcquisitionDateTime: `${date}${time}`,
    BurnedInAnnotation: 'YES',
    DocumentTitle: input.documentTitle.slice(0, 64),
    ConceptNameCodeSequence: [],
    ...(source.series !== null && {
      SourceInstanceSequence: uniqueInstances(source.series.slices),
    }),
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocumentLength: input.pdf.length,
    EncapsulatedDocument: padded.buffer,
    _vrMap: {},
  });
  return { bytes, sopInstanceUid, seriesInstanceUid };
}
