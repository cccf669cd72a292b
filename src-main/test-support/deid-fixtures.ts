import dcmjs from 'dcmjs';
import { ANNEX_E_ROWS, type AnnexERow } from '../core/deidentify/annex-e.js';
import type { DicomDataset, DicomElement } from '../core/deidentify/deidentify-dataset.js';
import { dicomDict, makeDicom, type DicomFixtureOptions } from './dicom-fixtures.js';

/**
 * DICOM files full of PHI for the de-identification tests: every attribute of Annex E's table
 * that the data dictionary knows, filled with a recognisable value of its VR, sequences with
 * PHI nested two levels deep, and private tags (one on the safe list, others not).
 */

interface DictionaryEntry {
  vr: string;
  name: string;
}
const dictionary = (
  dcmjs.data.DicomMetaDictionary as unknown as { dictionary: Record<string, DictionaryEntry> }
).dictionary;

/** The dictionary's VR of a tag `GGGGEEEE`, or null when unknown or ambiguous ("US or SS"). */
export function dictionaryVr(tag: string): string | null {
  const entry = dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`];
  if (entry === undefined || !/^[A-Z]{2}$/.test(entry.vr)) return null;
  return entry.vr;
}

/** A nested item with PHI and references: what a Request Attributes or Referenced item holds. */
function phiItem(tag: string, depth: number): DicomDataset {
  const item: DicomDataset = {
    '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
    '00081155': { vr: 'UI', Value: [`1.2.826.0.1.3680043.8.498.9.${parseInt(tag, 16)}.${depth}`] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Nested^Secret' }] },
    '00321060': { vr: 'LO', Value: ['Requested by Dr Who for Jane Doe'] },
    '00401001': { vr: 'SH', Value: ['REQ-4711'] },
  };
  if (depth < 2) item['00400275'] = { vr: 'SQ', Value: [phiItem(tag, depth + 1)] };
  return item;
}

/** A recognisable PHI value of a VR, different for each tag. */
export function phiValue(tag: string, vr: string): unknown[] | null {
  const n = parseInt(tag, 16);
  switch (vr) {
    case 'AE':
      return [`PHI${tag.slice(4)}`];
    case 'AS':
      return ['042Y'];
    case 'CS':
      return [`PHI_${tag.slice(4)}`];
    case 'DA':
      return ['20190314'];
    case 'DT':
      return ['20190314101500'];
    case 'TM':
      return ['101500'];
    case 'DS':
      return ['71.5'];
    case 'IS':
      return ['42'];
    case 'SH':
    case 'LO':
    case 'LT':
    case 'ST':
    case 'UT':
    case 'UC':
      return [`PHI ${tag}`];
    case 'PN':
      return [{ Alphabetic: `Doe^Jane${tag.slice(4)}` }];
    case 'UI':
      return [`1.2.826.0.1.3680043.8.498.7.${n}`];
    case 'SQ':
      return [phiItem(tag, 1)];
    case 'US':
    case 'UL':
      return [7];
    case 'FD':
    case 'FL':
      return [1.5];
    case 'OB':
    case 'UN':
      return [new Uint8Array([0x50, 0x48, 0x49, 0x21]).buffer];
    default:
      return null;
  }
}

/** The rows filled in `everyAnnexEAttribute`: exact tags of the data set (no meta, command, DICOMDIR). */
export function fillableRows(): Array<{ row: AnnexERow; vr: string }> {
  const rows: Array<{ row: AnnexERow; vr: string }> = [];
  for (const row of ANNEX_E_ROWS) {
    if (!/^[0-9A-F]{8}$/.test(row.tag)) continue;
    const group = parseInt(row.tag.slice(0, 4), 16);
    if (group <= 0x0004 || group >= 0xfffa) continue;
    const vr = dictionaryVr(row.tag);
    if (vr === null || phiValue(row.tag, vr) === null) continue;
    rows.push({ row, vr });
  }
  return rows;
}

/** Private attributes: a safe Siemens b-value (with its creator) and an unsafe name. */
export const PRIVATE_ATTRIBUTES: DicomDataset = {
  '00190010': { vr: 'LO', Value: ['SIEMENS MR HEADER'] },
  '0019100C': { vr: 'IS', Value: ['1000'] },
  '00190011': { vr: 'LO', Value: ['ACME SECRET'] },
  '00191101': { vr: 'LO', Value: ['Jane Doe, room 12'] },
  '00291010': { vr: 'LO', Value: ['PRIVATE PHI'] },
};

/**
 * A single-frame MR image (dcmjs, Explicit VR Little Endian) holding every fillable Annex E
 * attribute with a PHI value, over the ordinary image attributes of `base`.
 */
export function everyAnnexEAttribute(base: DicomFixtureOptions = {}): Buffer {
  const image = makeDicom(base);
  const file = dcmjs.data.DicomMessage.readFile(
    image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer,
  );
  const dataset = file.dict as DicomDataset;
  for (const { row, vr } of fillableRows()) {
    // The image's own identity and geometry stay real so the file is still an image.
    if (['00080018', '0020000D', '0020000E'].includes(row.tag)) continue;
    dataset[row.tag] = { vr, Value: phiValue(row.tag, vr)! } satisfies DicomElement;
  }
  Object.assign(dataset, PRIVATE_ATTRIBUTES);
  const meta = file.meta as DicomDataset;
  const sopClass = (meta['00020002']?.Value?.[0] as string) ?? '';
  const sopInstance = (meta['00020003']?.Value?.[0] as string) ?? '';
  const dict = dicomDict(sopClass, sopInstance, '1.2.840.10008.1.2.1', {});
  dict.dict = dataset;
  return Buffer.from(dict.write());
}

/**
 * A realistic MR slice of a study: identifying attributes an MR header holds, a Referenced Study
 * Sequence and a Request Attributes Sequence with PHI inside, a Referenced Image Sequence to
 * another slice, an overlay plane and private tags.
 */
export function mrSliceWithPhi(options: DicomFixtureOptions & { referencedSop?: string }): Buffer {
  const image = makeDicom({
    patientName: 'Müller^Zoë',
    patientId: 'NS-0042',
    patientBirthDate: '19610203',
    ...options,
    extraAttributes: {
      SpecificCharacterSet: 'ISO_IR 192',
      StudyTime: '101500',
      SeriesDate: '20240115',
      SeriesTime: '102000',
      AcquisitionDate: '20240115',
      ContentDate: '20240115',
      ContentTime: '102233',
      AccessionNumber: 'ACC-42',
      StudyID: 'S42',
      ReferringPhysicianName: 'Who^Doctor',
      InstitutionName: 'Saint Elsewhere Hospital',
      InstitutionAddress: '1 Hospital Road, Springfield',
      StationName: 'MR-ROOM-3',
      OperatorsName: 'Tech^Tina',
      PatientAge: '063Y',
      PatientWeight: '71.5',
      PatientSize: '1.68',
      OtherPatientIDs: 'OLD-99',
      PatientAddress: '12 Elm Street',
      DeviceSerialNumber: 'SN-123456',
      FrameOfReferenceUID: '1.2.826.0.1.3680043.8.498.55.1',
      ...(options.extraAttributes ?? {}),
    },
  });
  const file = dcmjs.data.DicomMessage.readFile(
    image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer,
  );
  const dataset = file.dict as DicomDataset;
  const studyUid = dataset['0020000D']!.Value![0] as string;
  dataset['00081110'] = {
    vr: 'SQ',
    Value: [
      {
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.3.1.2.3.1'] },
        '00081155': { vr: 'UI', Value: [studyUid] },
      },
    ],
  };
  dataset['00400275'] = { vr: 'SQ', Value: [phiItem('00400275', 1)] };
  if (options.referencedSop !== undefined)
    dataset['00081140'] = {
      vr: 'SQ',
      Value: [
        {
          '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
          '00081155': { vr: 'UI', Value: [options.referencedSop] },
        },
      ],
    };
  Object.assign(dataset, PRIVATE_ATTRIBUTES);
  const meta = file.meta as DicomDataset;
  const dict = dicomDict(
    meta['00020002']!.Value![0] as string,
    meta['00020003']!.Value![0] as string,
    '1.2.840.10008.1.2.1',
    {},
  );
  dict.dict = dataset;
  return Buffer.from(dict.write());
}
