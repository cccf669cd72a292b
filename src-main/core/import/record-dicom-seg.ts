import { AppError } from '../../../src-shared/errors.js';
import { resolveDicomSegSources, type DicomSegSummary } from '../imaging/dicom/dicom-seg.js';
import type { FileImportResult } from './import-file-types.js';
import type { RecordContext } from './record-derived.js';

const DICOM_MIME = 'application/dicom';

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** "liver_seg.dcm: Liver Segmentation (QIICR QIN IOWA)": what the file and its header call it. */
function sourceOf(path: string, seg: DicomSegSummary): string {
  const [first, second] = [seg.seriesDescription, seg.contentLabel].filter(
    (v, i, all): v is string => v !== null && all.indexOf(v) === i,
  );
  const name = fileName(path);
  if (first === undefined) return name;
  return second === undefined ? `${name}: ${first}` : `${name}: ${first} (${second})`;
}

/**
 * A DICOM SEG becomes a segmentation of the scan of the series it was drawn on, once every
 * frame is matched to an image of that series with the same pixel grid; it creates no scan.
 */
export function recordDicomSegmentation(c: RecordContext, seg: DicomSegSummary): FileImportResult {
  const series = c.studies.findSeriesByUid(seg.referencedSeriesUid);
  const scan = series === undefined ? undefined : c.scans.findBySeries(series.id);
  if (series === undefined || scan === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `This DICOM segmentation belongs to series ${seg.referencedSeriesUid}, which is not imported: ` +
        'import that series first, then this file.',
    );
  }
  if (c.options.segmentationOf !== undefined && c.options.segmentationOf !== scan.id) {
    throw new AppError(
      'INVALID_INPUT',
      `This DICOM segmentation was drawn on series ${seg.referencedSeriesUid}, not on the chosen scan: ` +
        'import it without choosing a scan.',
    );
  }
  resolveDicomSegSources(
    seg,
    c.studies.listInstanceGeometryRows(series.id).map((image) => ({ ...image })),
  );
  const fileId = c.ids();
  c.files.insert(
    {
      id: fileId,
      sha256: c.blob.sha256,
      size: c.blob.size,
      mimeType: DICOM_MIME,
      originalPath: c.path,
      scanId: scan.id,
      importJobId: c.options.jobId ?? null,
    },
    c.now,
  );
  const segmentationId = c.ids();
  c.derived.insertSegmentation(
    {
      id: segmentationId,
      scanId: scan.id,
      fileId,
      labels: seg.presentSegments,
      source: sourceOf(c.path, seg),
    },
    c.now,
    seg.sopInstanceUid,
  );
  return {
    item: { path: c.path, status: 'imported', scanId: scan.id, fileId },
    created: [{ entity: 'segmentation', id: segmentationId, op: 'create' }],
  };
}
