/** The DICOM JSON model (PS3.18 F.2): an object of tags, each {vr, Value: [...]}. */
export type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/** The first value of a tag as text (a person name by its alphabetic form); null if absent. */
export function textOf(item: DicomJson, tag: string): string | null {
  const value = item[tag]?.Value?.[0];
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : null;
  }
  return String(value);
}

export function numberOf(item: DicomJson, tag: string): number | null {
  const text = textOf(item, tag);
  if (text === null) return null;
  const n = Number(text);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** The items of a sequence tag (empty when absent). */
export function itemsOf(item: DicomJson, tag: string): DicomJson[] {
  const value = item[tag]?.Value;
  return Array.isArray(value) ? (value as DicomJson[]) : [];
}

export const TAG = {
  studyInstanceUid: '0020000D',
  seriesInstanceUid: '0020000E',
  sopInstanceUid: '00080018',
  patientId: '00100020',
  patientName: '00100010',
  studyDate: '00080020',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  modality: '00080060',
  accessionNumber: '00080050',
  seriesNumber: '00200011',
  modalitiesInStudy: '00080061',
  studyInstances: '00201208',
  seriesInstances: '00201209',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  referencedSopInstanceUid: '00081155',
  failureReason: '00081197',
} as const;
