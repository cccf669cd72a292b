import { AppError } from '../../../src-shared/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import type { DerivedRepo } from '../scans/derived-repo.js';
import type { FilesRepo } from '../scans/files-repo.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { NiftiGeometry } from '../imaging/nifti/nifti-volume.js';
import type { MeshSummary } from '../imaging/stl.js';
import type { FileImportResult, ImportOptions } from './import-file-types.js';

/** What recording a NIfTI, STL or DICOM SEG file needs; called inside the import's write transaction. */
export interface RecordContext {
  scans: ScansRepo;
  studies: StudiesRepo;
  files: FilesRepo;
  derived: DerivedRepo;
  ids: IdGenerator;
  path: string;
  blob: { sha256: string; size: number };
  options: ImportOptions;
  now: string;
}

export const NIFTI_MIME = 'application/x-nifti';
export const STL_MIME = 'model/stl';

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function insertFile(c: RecordContext, scanId: string, mimeType: string): string {
  const fileId = c.ids();
  c.files.insert(
    {
      id: fileId,
      sha256: c.blob.sha256,
      size: c.blob.size,
      mimeType,
      originalPath: c.path,
      scanId,
      importJobId: c.options.jobId ?? null,
    },
    c.now,
  );
  return fileId;
}

/** A NIfTI image becomes a scan of kind 'volume' with its canonical geometry. */
export function recordNifti(c: RecordContext, geometry: NiftiGeometry): FileImportResult {
  const scanId = c.ids();
  const name = fileName(c.path);
  c.scans.insert(
    {
      id: scanId,
      patientId: c.options.patientId ?? null,
      studyId: null,
      seriesId: null,
      kind: 'volume',
      format: 'nifti',
      modality: null,
      description: geometry.description === '' ? name : `${name}: ${geometry.description}`,
      rows: geometry.dims[1],
      columns: geometry.dims[0],
      spacing: geometry.spacing,
      acquiredAt: null,
    },
    c.now,
  );
  c.scans.setGeometry(scanId, { ...geometry }, [], c.now);
  const fileId = insertFile(c, scanId, NIFTI_MIME);
  return { item: { path: c.path, status: 'imported', scanId, fileId }, newScanId: scanId };
}

/** A label map on the same voxel grid as its scan becomes one of the scan's segmentations. */
export function recordSegmentation(
  c: RecordContext,
  nifti: { geometry: NiftiGeometry; labels: number[] | null },
  scanId: string,
): FileImportResult {
  const scan = c.scans.get(scanId);
  if (scan === undefined) throw new AppError('NOT_FOUND', 'The scan to segment no longer exists.');
  if (nifti.labels === null) {
    throw new AppError(
      'INVALID_INPUT',
      'This NIfTI image is not a label map (its voxels are not a few whole numbers): import it as a scan instead.',
    );
  }
  const dims = nifti.geometry.dims;
  if (scan.dims === null || scan.dims.some((d, i) => d !== dims[i])) {
    throw new AppError(
      'INVALID_INPUT',
      `The label map is ${dims.join('x')} voxels but the scan is ${scan.dims?.join('x') ?? 'of unknown size'}: ` +
        'choose the scan it was drawn on.',
    );
  }
  const fileId = insertFile(c, scanId, NIFTI_MIME);
  const segmentationId = c.ids();
  c.derived.insertSegmentation(
    { id: segmentationId, scanId, fileId, labels: nifti.labels, source: fileName(c.path) },
    c.now,
  );
  return {
    item: { path: c.path, status: 'imported', scanId, fileId },
    created: [{ entity: 'segmentation', id: segmentationId, op: 'create' }],
  };
}

/** An STL mesh (e.g. one jaw of an intra-oral scan) is attached to a scan for 3D preview. */
export function recordMesh(c: RecordContext, mesh: MeshSummary, scanId: string): FileImportResult {
  if (c.scans.get(scanId) === undefined)
    throw new AppError('NOT_FOUND', 'The scan to attach the mesh to no longer exists.');
  const fileId = insertFile(c, scanId, STL_MIME);
  const attachmentId = c.ids();
  c.derived.insertAttachment(
    {
      id: attachmentId,
      scanId,
      fileId,
      kind: 'mesh',
      triangleCount: mesh.triangleCount,
      boundingBox: mesh.boundingBox,
      description: mesh.name ?? fileName(c.path),
    },
    c.now,
  );
  return {
    item: { path: c.path, status: 'imported', scanId, fileId },
    created: [{ entity: 'attachment', id: attachmentId, op: 'create' }],
  };
}
