import dcmjs, { type NaturalDataset } from 'dcmjs';
import type { Patient, Scan, Series, Study } from '../../../../src-shared/contract/entities.js';
import type { Orientation6, Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { SourceFrameRow } from './dicom-source-repo.js';
import { decimalString, newUid } from './part10.js';

/** MR Image Storage: the SOP class assumed for rows imported before the class was stored. */
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

/** One slice of the analysed grid and the source image it is. */
export interface SourceSlice {
  sopClassUid: string;
  sopInstanceUid: string;
  /** 1-based frame of a multi-frame source instance; null for single-frame instances. */
  referencedFrameNumber: number | null;
}

/** The voxel grid of the analysis in patient space (LPS, mm), as DICOM attributes want it. */
export interface PatientGrid {
  columns: number;
  rows: number;
  slices: number;
  /** Row direction cosines then column direction cosines. */
  orientation: Orientation6;
  /** [between rows, between columns] in mm: DICOM Pixel Spacing order. */
  pixelSpacing: [number, number];
  sliceSpacing: number;
  /** Image Position (Patient) of each slice (first voxel's centre). */
  positions: Vector3[];
}

/** What every object written from one scan shares: whose images, which study, which space. */
export interface SourceContext {
  /** Patient, General Study and Patient Study attributes (naturalized dcmjs keywords). */
  patientStudy: NaturalDataset;
  studyInstanceUid: string;
  frameOfReferenceUid: string;
  /** The source series and its slices in grid order; null when the scan is not DICOM. */
  series: { seriesInstanceUid: string; modality: string | null; slices: SourceSlice[] } | null;
  grid: PatientGrid;
  /** What was made up or assumed (e.g. UIDs for a NIfTI source), for the reader. */
  notes: string[];
}

/** Patient and General Study attributes copied from the source instance when it has them. */
const PATIENT_STUDY_KEYWORDS = [
  'PatientName',
  'PatientID',
  'IssuerOfPatientID',
  'PatientBirthDate',
  'PatientBirthTime',
  'PatientSex',
  'OtherPatientIDsSequence',
  'PatientAge',
  'PatientSize',
  'PatientWeight',
  'StudyInstanceUID',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
  'IssuerOfAccessionNumberSequence',
  'StudyDescription',
] as const;

/** Type 2 attributes of the Patient and General Study modules: present, empty when unknown. */
const TYPE_2 = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
] as const;

const AXIS_ALIGNED: [Vector3, Vector3, Vector3] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** The header of a stored DICOM file, without its pixel data. */
export function readDicomHeader(bytes: Uint8Array): NaturalDataset {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const file = dcmjs.data.DicomMessage.readFile(buffer as ArrayBuffer, {
    untilTag: '7FE00010',
    includeUntilTagValue: false,
  });
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict);
}

function withType2(dataset: NaturalDataset): NaturalDataset {
  const out = { ...dataset };
  for (const keyword of TYPE_2) if (out[keyword] === undefined) out[keyword] = '';
  return out;
}

/** The grid from what the import stored (scan geometry), positions from the source when known. */
function gridOf(scan: Scan, dims: Vector3, positions: Array<Vector3 | null>): PatientGrid {
  const [columns, rows, slices] = dims;
  const direction = scan.direction ?? AXIS_ALIGNED;
  const spacing = scan.spacing ?? [1, 1, 1];
  const sliceSpacing = spacing[2] ?? 1;
  const origin = scan.origin ?? [0, 0, 0];
  const at = (k: number): Vector3 => {
    const known = positions[k];
    if (known !== undefined && known !== null) return known;
    return [0, 1, 2].map((a) => origin[a]! + k * sliceSpacing * direction[2][a]!) as Vector3;
  };
  return {
    columns,
    rows,
    slices,
    orientation: [...direction[0], ...direction[1]] as Orientation6,
    pixelSpacing: [spacing[1], spacing[0]],
    sliceSpacing,
    positions: Array.from({ length: slices }, (_, k) => at(k)),
  };
}

/** The patient and study as the database knows them (a NIfTI or PNG has no DICOM header). */
function patientStudyFromDatabase(
  scan: Scan,
  patient: Patient | null,
  study: Study | null,
  studyInstanceUid: string,
): NaturalDataset {
  const dataset: NaturalDataset = {
    PatientName: patient?.name ?? scan.patientName ?? '',
    PatientID: patient?.mrn ?? scan.patientMrn ?? '',
    PatientBirthDate: patient?.birthDate?.replace(/-/g, '') ?? '',
    PatientSex: patient?.sex ?? '',
    StudyInstanceUID: studyInstanceUid,
    StudyDate: (study?.studyDate ?? scan.acquiredAt ?? '').replace(/-/g, ''),
    AccessionNumber: study?.accessionNumber ?? '',
  };
  const description = study?.description ?? null;
  if (description !== null && description !== '') dataset['StudyDescription'] = description;
  return withType2(dataset);
}

export interface SourceInput {
  scan: Scan;
  /** The analysed grid [columns, rows, slices] (the analysis's input.dimensions). */
  dims: Vector3;
  patient: Patient | null;
  study: Study | null;
  series: Series | null;
  /** The scan's frames with their instances (empty unless a DICOM series). */
  frames: SourceFrameRow[];
  /** The header of the first source instance; null when unreadable or not DICOM. */
  firstHeader: NaturalDataset | null;
}

/**
 * Everything the writers need to know about the source. A DICOM series gives its own patient,
 * study and frame of reference (copied, so a PACS files the results with the images); a NIfTI
 * volume or a PNG/JPEG picture has none, so a study UID (the database's, else a new one) and a
 * new frame of reference are made, and the notes say so.
 */
export function sourceContext(input: SourceInput): SourceContext {
  const { scan, dims, frames, firstHeader } = input;
  const notes: string[] = [];
  const isDicomSeries =
    scan.format === 'dicom' && frames.length === dims[2] && input.series !== null;
  if (scan.format === 'dicom' && !isDicomSeries)
    notes.push(
      `the scan's stored frames (${frames.length}) do not match the analysed grid's ${dims[2]} slices: the results reference no source images`,
    );
  if (!isDicomSeries || firstHeader === null) {
    if (scan.format !== 'dicom')
      notes.push(
        `the source is ${scan.format.toUpperCase()}, not DICOM: patient and study come from the database; ` +
          'the study UID (unless the database has one), series UIDs and frame of reference were generated',
      );
    else if (firstHeader === null)
      notes.push(
        'the source DICOM header could not be read: patient and study come from the database',
      );
    if (scan.origin === null || scan.direction === null)
      notes.push(
        'the scan has no patient position or orientation: written axis-aligned at 0, 0, 0',
      );
    const studyInstanceUid = input.study?.studyInstanceUid ?? newUid();
    return {
      patientStudy: patientStudyFromDatabase(scan, input.patient, input.study, studyInstanceUid),
      studyInstanceUid,
      frameOfReferenceUid: newUid(),
      series: null,
      grid: gridOf(scan, dims, []),
      notes,
    };
  }
  const patientStudy: NaturalDataset = {};
  for (const keyword of PATIENT_STUDY_KEYWORDS)
    if (firstHeader[keyword] !== undefined) patientStudy[keyword] = firstHeader[keyword];
  const headerStudyUid = firstHeader['StudyInstanceUID'];
  const studyInstanceUid =
    typeof headerStudyUid === 'string' && headerStudyUid !== ''
      ? headerStudyUid
      : (input.study?.studyInstanceUid ?? newUid());
  patientStudy['StudyInstanceUID'] = studyInstanceUid;
  const headerFrameOfReference = firstHeader['FrameOfReferenceUID'];
  let frameOfReferenceUid: string;
  if (typeof headerFrameOfReference === 'string' && headerFrameOfReference !== '')
    frameOfReferenceUid = headerFrameOfReference;
  else {
    frameOfReferenceUid = newUid();
    notes.push('the source series has no Frame of Reference UID: a new one was generated');
  }
  const headerClass = firstHeader['SOPClassUID'];
  const fallbackClass = typeof headerClass === 'string' ? headerClass : MR_IMAGE_STORAGE;
  const slices = frames.map((f) => ({
    sopClassUid: f.sopClassUid ?? fallbackClass,
    sopInstanceUid: f.sopInstanceUid,
    referencedFrameNumber: f.framesInInstance > 1 ? f.frameNumber + 1 : null,
  }));
  return {
    patientStudy: withType2(patientStudy),
    studyInstanceUid,
    frameOfReferenceUid,
    series: {
      seriesInstanceUid:
        input.series?.seriesInstanceUid ?? String(firstHeader['SeriesInstanceUID']),
      modality: input.series?.modality ?? null,
      slices,
    },
    grid: gridOf(
      scan,
      dims,
      frames.map((f) => f.position),
    ),
    notes,
  };
}

/** Pixel Measures and Plane Orientation values, as strings that fit DS. */
export function gridAttributes(grid: PatientGrid): {
  pixelSpacing: string[];
  orientation: string[];
  sliceSpacing: string;
  position: (k: number) => string[];
} {
  return {
    pixelSpacing: grid.pixelSpacing.map(decimalString),
    orientation: grid.orientation.map(decimalString),
    sliceSpacing: decimalString(grid.sliceSpacing),
    position: (k) => grid.positions[k]!.map(decimalString),
  };
}
