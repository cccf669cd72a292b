import { annexERow, resolveAction, type DeidentifyOptions } from './annex-e.js';
import type { DicomDataset, DicomElement } from './dicom-dataset.js';
import { isSafePrivateTag } from './safe-private.js';

export type { DicomDataset, DicomElement } from './dicom-dataset.js';

/** What one de-identification needs besides the data set. */
export interface DeidentifyContext {
  options: DeidentifyOptions;
  /** The UID written for an original UID: the same for the same UID, whatever the file. */
  mapUid(uid: string): string;
  /** The patient's pseudonym and the date offset of the "modified dates" option. */
  pseudonym: { id: string; name: string; dateOffsetDays: number };
}

export interface DeidentifyStats {
  privateKept: number;
  privateRemoved: number;
}

const PATIENT_NAME = '00100010';
const PATIENT_ID = '00100020';

/** Codes of PS3.16 CID 7050 "De-identification Method", scheme DCM. */
export const DEIDENTIFICATION_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  safePrivate: ['113111', 'Retain Safe Private Option'],
  uids: ['113110', 'Retain UIDs Option'],
  patientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  fullDates: ['113106', 'Retain Longitudinal Temporal Information Full Dates Option'],
  modifiedDates: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
} as const;

/** A non-zero length value of the VR that says nothing about anyone (action D). */
function dummyValue(vr: string): unknown[] {
  switch (vr) {
    case 'DA':
      return ['19000101'];
    case 'DT':
      return ['19000101000000'];
    case 'TM':
      return ['000000'];
    case 'DS':
    case 'IS':
      return ['0'];
    case 'PN':
      return [{ Alphabetic: 'Anonymized^Anonymized' }];
    case 'AE':
      return ['ANONYMIZED'];
    case 'AS':
      return ['000Y'];
    case 'CS':
    case 'SH':
    case 'LO':
    case 'ST':
    case 'LT':
    case 'UT':
    case 'UC':
      return ['ANONYMIZED'];
    case 'OB':
    case 'OW':
    case 'UN':
      return [new Uint8Array(2).buffer];
    default:
      return [];
  }
}

/** Adds `days` to a DICOM date `YYYYMMDD` (calendar arithmetic in UTC); other text unchanged. */
export function shiftDate(date: string, days: number): string {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(date);
  if (m === null) return date;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(at.getTime())) return date;
  at.setUTCDate(at.getUTCDate() + days);
  const shifted = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `${shifted}${date.slice(8)}`;
}

function shifted(element: DicomElement, days: number): DicomElement {
  if ((element.vr !== 'DA' && element.vr !== 'DT') || element.Value === undefined) return element;
  return {
    ...element,
    Value: element.Value.map((v) => (typeof v === 'string' ? shiftDate(v, days) : v)),
  };
}

function mappedUids(element: DicomElement, mapUid: (uid: string) => string): DicomElement {
  return {
    ...element,
    Value: (element.Value ?? []).map((v) =>
      typeof v === 'string' && v.trim() !== '' ? mapUid(v.trim()) : v,
    ),
  };
}

function isRepeatingGroup(group: number, base: number): boolean {
  return group >= base && group <= base + 0xff && group % 2 === 0;
}

/**
 * One data set (and, recursively, every item of every sequence in it) under the profile:
 * each attribute of Table E.1-1 gets its action, private attributes go unless on the safe
 * list, curve and overlay groups go, Patient's Name and ID become the pseudonym. Attributes the
 * table does not list are kept (the profile's rule), their sequences still cleaned.
 */
function cleanDataset(
  dataset: DicomDataset,
  context: DeidentifyContext,
  stats: DeidentifyStats,
): DicomDataset {
  const out: DicomDataset = {};
  for (const [tag, element] of Object.entries(dataset)) {
    const group = parseInt(tag.slice(0, 4), 16);
    if (group % 2 === 1) {
      if (isSafePrivateTag(dataset, tag)) {
        out[tag] = element;
        stats.privateKept++;
      } else stats.privateRemoved++;
      continue;
    }
    // Curves and overlays (whose data and comments the table removes): the whole group goes,
    // an overlay plane without its data would not be valid.
    if (isRepeatingGroup(group, 0x5000) || isRepeatingGroup(group, 0x6000)) continue;
    if (tag === PATIENT_NAME) {
      out[tag] = { vr: 'PN', Value: [{ Alphabetic: context.pseudonym.name }] };
      continue;
    }
    if (tag === PATIENT_ID) {
      out[tag] = { vr: 'LO', Value: [context.pseudonym.id] };
      continue;
    }
    const isSequence = element.vr === 'SQ';
    const row = annexERow(tag);
    const action = row === undefined ? 'K' : resolveAction(row, context.options, isSequence);
    switch (action) {
      case 'X':
        break;
      case 'Z':
        out[tag] = { vr: element.vr, Value: [] };
        break;
      case 'D':
        out[tag] = { vr: element.vr, Value: dummyValue(element.vr) };
        break;
      case 'U':
        out[tag] = mappedUids(element, context.mapUid);
        break;
      case 'SHIFT':
        out[tag] = shifted(element, context.pseudonym.dateOffsetDays);
        break;
      case 'K':
      case 'U*':
      case 'C':
        out[tag] = isSequence
          ? {
              vr: 'SQ',
              Value: (element.Value ?? []).map((item) =>
                cleanDataset(item as DicomDataset, context, stats),
              ),
            }
          : element;
        break;
    }
  }
  return out;
}

function codeItem([value, meaning]: readonly [string, string]): DicomDataset {
  return {
    '00080100': { vr: 'SH', Value: [value] },
    '00080102': { vr: 'SH', Value: ['DCM'] },
    '00080104': { vr: 'LO', Value: [meaning] },
  };
}

/** The option codes an export used, the basic profile first. */
export function methodCodes(
  options: DeidentifyOptions,
  privateKept: boolean,
): Array<readonly [string, string]> {
  const codes: Array<readonly [string, string]> = [DEIDENTIFICATION_CODES.basic];
  if (privateKept) codes.push(DEIDENTIFICATION_CODES.safePrivate);
  if (options.retainUids) codes.push(DEIDENTIFICATION_CODES.uids);
  if (options.retainPatientCharacteristics)
    codes.push(DEIDENTIFICATION_CODES.patientCharacteristics);
  if (options.dates === 'full') codes.push(DEIDENTIFICATION_CODES.fullDates);
  if (options.dates === 'offset') codes.push(DEIDENTIFICATION_CODES.modifiedDates);
  return codes;
}

/**
 * De-identifies a whole data set: cleans it and records what was done, Patient Identity
 * Removed (0012,0062) YES, De-identification Method (0012,0063) and its Code Sequence
 * (0012,0064), and Longitudinal Temporal Information Modified (0028,0303).
 */
export function deidentifyDataset(
  dataset: DicomDataset,
  context: DeidentifyContext,
): { dataset: DicomDataset; stats: DeidentifyStats } {
  const stats: DeidentifyStats = { privateKept: 0, privateRemoved: 0 };
  const out = cleanDataset(dataset, context, stats);
  const codes = methodCodes(context.options, stats.privateKept > 0);
  out['00120062'] = { vr: 'CS', Value: ['YES'] };
  out['00120063'] = {
    vr: 'LO',
    Value: codes.map(([, meaning]) => meaning.slice(0, 64)),
  };
  out['00120064'] = { vr: 'SQ', Value: codes.map(codeItem) };
  out['00280303'] = {
    vr: 'CS',
    Value: [
      context.options.dates === 'full'
        ? 'UNMODIFIED'
        : context.options.dates === 'offset'
          ? 'MODIFIED'
          : 'REMOVED',
    ],
  };
  if (out[PATIENT_NAME] === undefined)
    out[PATIENT_NAME] = { vr: 'PN', Value: [{ Alphabetic: context.pseudonym.name }] };
  if (out[PATIENT_ID] === undefined) out[PATIENT_ID] = { vr: 'LO', Value: [context.pseudonym.id] };
  return { dataset: out, stats };
}
