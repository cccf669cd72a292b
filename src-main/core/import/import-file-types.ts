import type { ImportItem } from '../../../src-shared/contract/entities.js';
import type { ClinicalChange } from '../clinical-write/clinical-writer.js';

// What importing one file takes and gives. Its own module so that the helpers the import service
// calls (batching, duplicate detection, recording derived objects) can name these types without
// importing the service back.

export interface ImportOptions {
  /** Who started the import (the job's creator): the records it creates are audited under this name. */
  actor?: string | null | undefined;
  /** Attach images to this patient (PNG/JPEG have no patient; DICOM's own patient is overridden). */
  patientId?: string | undefined;
  /** The job importing, so a resumed job recognises files it stored before a crash. */
  jobId?: string | undefined;
  /** sha256 of files stored during this run: a second copy within the same run is a duplicate. */
  storedThisRun?: Set<string> | undefined;
  /** NIfTI label maps become segmentations of this scan. */
  segmentationOf?: string | undefined;
  /** STL meshes are attached to this scan. */
  attachTo?: string | undefined;
  /**
   * DICOM SEG files are set aside (`needsSeries`) to be imported after the other files of the
   * run, since the series they annotate may be among those, in any order.
   */
  segmentationsLast?: boolean | undefined;
}

export interface FileImportResult {
  item: ImportItem;
  /** The scan created by this file, if it created one. */
  newScanId?: string;
  /** The DICOM series this file was added to. */
  seriesId?: string;
  /** A DICOMDIR: the files it lists (imported from their own paths). */
  listedFiles?: string[];
  /** An STL mesh that needs a scan to attach to (`attachTo`); the job chooses one. */
  needsScan?: boolean;
  /** A DICOM SEG set aside until the run's images are recorded (`segmentationsLast`). */
  needsSeries?: boolean;
  /**
   * Records the file created besides its file row and its new scan (a patient, study or series
   * of a DICOM file; a segmentation; an attachment), for the audit log and the outbox.
   */
  created?: ClinicalChange[];
}
