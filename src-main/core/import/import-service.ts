import { stat } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors.js';
import type { ClinicalChange, ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { Db } from '../db/connection.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { FilesRepo } from '../scans/files-repo.js';
import type { PatientsRepo } from '../patients/patients-repo.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import type { DerivedRepo } from '../scans/derived-repo.js';
import type { ImagingClient } from '../imaging/imaging-client.js';
import type { Inspection } from '../imaging/inspect-file.js';
import type { DicomHeader } from '../imaging/dicom/dicom-header.js';
import { mimeTypeOf } from '../imaging/detect-type.js';
import {
  createImportBatch,
  rejection,
  type ImportBatch,
  type PreparedFile,
} from './import-batch.js';
import type { ImageHeader } from '../imaging/image-header.js';
import { recordDicomSegmentation } from './record-dicom-seg.js';
import { recordMesh, recordNifti, recordSegmentation } from './record-derived.js';
import { assembleSeriesVolume } from './series-volume.js';
import type { FileImportResult, ImportOptions } from './import-file-types.js';

export interface ImportDeps {
  db: Db;
  /** The one write point of clinical data: each file's rows with their audit and outbox entries. */
  writer: ClinicalWriter;
  blobs: BlobStore;
  patients: PatientsRepo;
  studies: StudiesRepo;
  scans: ScansRepo;
  files: FilesRepo;
  clock: Clock;
  ids: IdGenerator;
  events: EventBus;
  derived: DerivedRepo;
  /** Parses and validates files in worker threads. */
  imaging: ImagingClient;
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
}

/** The UID that makes a DICOM object the same object in any encoding; null for other files. */
function sopInstanceUidOf(inspection: Inspection): string | null {
  if (inspection.kind === 'dicom') return inspection.header.sopInstanceUid;
  if (inspection.kind === 'dicom-seg') return inspection.seg.sopInstanceUid;
  return null;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

/** Imports files: detect, validate, de-duplicate, store (in batches), record. */
export function createImportService(deps: ImportDeps) {
  const { patients, studies, scans, files, clock, ids } = deps;

  function patientForDicom(
    header: DicomHeader,
    options: ImportOptions,
    created: ClinicalChange[],
  ): string | null {
    if (options.patientId !== undefined) return options.patientId;
    if (header.patientId === null) return null;
    const existing = patients.findByMrn(header.patientId);
    if (existing !== undefined) return existing.id;
    const patient = patients.insert(
      ids(),
      {
        name: header.patientName ?? `Patient ${header.patientId}`,
        mrn: header.patientId,
        birthDate: header.patientBirthDate,
        sex: header.patientSex,
        notes: '',
      },
      clock.iso(),
    );
    created.push({ entity: 'patient', id: patient.id, op: 'create', payload: patient });
    return patient.id;
  }

  function recordDicom(
    header: DicomHeader,
    blob: { sha256: string; size: number },
    path: string,
    options: ImportOptions,
  ): FileImportResult {
    if (header.studyInstanceUid === null || header.seriesInstanceUid === null) {
      throw new AppError('CORRUPT_FILE', 'DICOM file has no Study or Series Instance UID');
    }
    const now = clock.iso();
    const created: ClinicalChange[] = [];
    const patientId = patientForDicom(header, options, created);
    const knownStudy = studies.findStudyByUid(header.studyInstanceUid);
    const study =
      knownStudy ??
      studies.insertStudy(
        {
          id: ids(),
          patientId,
          studyInstanceUid: header.studyInstanceUid,
          studyDate: header.studyDate,
          description: header.studyDescription,
          accessionNumber: header.accessionNumber,
        },
        now,
      );
    if (knownStudy === undefined)
      created.push({ entity: 'study', id: study.id, op: 'create', payload: study });
    const knownSeries = studies.findSeriesByUid(header.seriesInstanceUid);
    const series =
      knownSeries ??
      studies.insertSeries(
        {
          id: ids(),
          studyId: study.id,
          seriesInstanceUid: header.seriesInstanceUid,
          seriesNumber: header.seriesNumber,
          modality: header.modality,
          description: header.seriesDescription,
        },
        now,
      );
    if (knownSeries === undefined)
      created.push({ entity: 'series', id: series.id, op: 'create', payload: series });
    let scan = scans.findBySeries(series.id);
    let newScanId: string | undefined;
    if (scan === undefined) {
      const sliceSpacing = header.spacingBetweenSlices ?? header.sliceThickness;
      scan = scans.insert(
        {
          id: ids(),
          patientId: study.patientId,
          studyId: study.id,
          seriesId: series.id,
          kind: 'series',
          format: 'dicom',
          modality: header.modality,
          description: header.seriesDescription ?? header.studyDescription,
          rows: header.rows,
          columns: header.columns,
          spacing:
            header.pixelSpacing === null
              ? null
              : [header.pixelSpacing[0], header.pixelSpacing[1], sliceSpacing],
          acquiredAt: header.studyDate,
        },
        now,
      );
      newScanId = scan.id;
    }
    const fileId = ids();
    files.insert(
      {
        id: fileId,
        sha256: blob.sha256,
        size: blob.size,
        mimeType: 'application/dicom',
        originalPath: path,
        scanId: scan.id,
        importJobId: options.jobId ?? null,
      },
      now,
    );
    studies.insertInstance({
      id: ids(),
      seriesId: series.id,
      sopInstanceUid: header.sopInstanceUid,
      instanceNumber: header.instanceNumber,
      rows: header.rows,
      columns: header.columns,
      transferSyntaxUid: header.transferSyntaxUid,
      imagePosition: header.imagePosition,
      imageOrientation: header.imageOrientation,
      fileId,
      sopClassUid: header.sopClassUid,
      frames: header.frames,
      imageType: header.imageType,
      framePositions: header.framePositions,
    });
    return {
      item: { path, status: 'imported', scanId: scan.id, fileId },
      seriesId: series.id,
      ...(newScanId !== undefined && { newScanId }),
      created,
    };
  }

  function recordImage(
    format: 'png' | 'jpeg',
    image: ImageHeader,
    blob: { sha256: string; size: number },
    path: string,
    options: ImportOptions,
  ): FileImportResult {
    const now = clock.iso();
    const scanId = ids();
    const name = path.split(/[\\/]/).pop() ?? path;
    scans.insert(
      {
        id: scanId,
        patientId: options.patientId ?? null,
        studyId: null,
        seriesId: null,
        kind: 'image',
        format,
        modality: null,
        description: name,
        rows: image.height,
        columns: image.width,
        spacing: null,
        acquiredAt: null,
      },
      now,
    );
    const fileId = ids();
    files.insert(
      {
        id: fileId,
        sha256: blob.sha256,
        size: blob.size,
        mimeType: mimeTypeOf(format),
        originalPath: path,
        scanId,
        importJobId: options.jobId ?? null,
      },
      now,
    );
    return { item: { path, status: 'imported', scanId, fileId }, newScanId: scanId };
  }

  function recordInspected(
    inspection: Exclude<Inspection, { kind: 'dicomdir' }>,
    blob: { sha256: string; size: number },
    path: string,
    options: ImportOptions,
  ): FileImportResult {
    const context = { ...deps, path, blob, options, now: clock.iso() };
    switch (inspection.kind) {
      case 'dicom':
        return recordDicom(inspection.header, blob, path, options);
      case 'dicom-seg':
        return recordDicomSegmentation(context, inspection.seg);
      case 'png':
      case 'jpeg':
        return recordImage(inspection.kind, inspection, blob, path, options);
      case 'nifti':
        return options.segmentationOf === undefined
          ? recordNifti(context, inspection.geometry)
          : recordSegmentation(context, inspection, options.segmentationOf);
      case 'stl':
        return recordMesh(context, inspection.mesh, options.attachTo ?? '');
    }
  }

  /** Checks a file without storing it (no database access: may run ahead of the batch). */
  async function prepareFile(path: string, options: ImportOptions = {}): Promise<PreparedFile> {
    const settled = (result: FileImportResult): PreparedFile => ({ kind: 'settled', result });
    try {
      const info = await stat(path);
      if (info.size > deps.maxFileBytes) {
        throw new AppError(
          'FILE_TOO_LARGE',
          `File is ${megabytes(info.size)}; the limit is ${megabytes(deps.maxFileBytes)}. Raise the limit in Settings if this file is genuine.`,
          { size: info.size, limit: deps.maxFileBytes },
        );
      }
      if (info.size === 0) throw new AppError('CORRUPT_FILE', 'File is empty');
      const inspection = await deps.imaging.inspect(path);
      if (inspection.kind === 'dicomdir') {
        return settled({
          item: {
            path,
            status: 'rejected',
            code: 'UNSUPPORTED_FORMAT',
            reason: `DICOMDIR (the index of a CD) holds no image; the ${inspection.files.length} files it lists are imported from their own paths.`,
          },
          listedFiles: inspection.files,
        });
      }
      if (inspection.kind === 'stl' && options.attachTo === undefined) {
        return settled({ item: { path, status: 'rejected' }, needsScan: true });
      }
      if (inspection.kind === 'dicom-seg' && options.segmentationsLast === true) {
        return settled({ item: { path, status: 'rejected' }, needsSeries: true });
      }
      return {
        kind: 'inspected',
        path,
        size: info.size,
        sopInstanceUid: sopInstanceUidOf(inspection),
        record: (blob) => recordInspected(inspection, blob, path, options),
      };
    } catch (error) {
      return settled(rejection(path, error));
    }
  }

  /** A batch of files stored and recorded together (see ImportBatch). */
  function openBatch(options: ImportOptions = {}): ImportBatch {
    return createImportBatch(deps, options);
  }

  /** One file on its own: a batch of one. */
  async function importFile(path: string, options: ImportOptions = {}): Promise<FileImportResult> {
    const batch = openBatch(options);
    try {
      await batch.add(await prepareFile(path, options));
      return (await batch.commit())[0]!;
    } catch (error) {
      await batch.abort();
      throw error;
    }
  }

  /** After a series gained instances: sorts them into a volume and stores its geometry. */
  function refreshSeriesGeometry(seriesId: string, actor: string | null): void {
    assembleSeriesVolume(deps, seriesId, clock.iso(), actor);
  }

  return { prepareFile, openBatch, importFile, refreshSeriesGeometry };
}
export type ImportService = ReturnType<typeof createImportService>;
