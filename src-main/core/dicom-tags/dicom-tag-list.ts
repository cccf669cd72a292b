import type { DataSet, Element } from 'dicom-parser';
import type { DicomTag } from '../../../src-shared/contract/dicom-tags.js';
import { dictionaryEntry, formatTag, parseTag } from './dicom-dictionary.js';

const STRING_VRS = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
const NUMBER_VRS: Record<
  string,
  { size: number; read: (ds: DataSet, tag: string, i: number) => number | undefined }
> = {
  US: { size: 2, read: (ds, tag, i) => ds.uint16(tag, i) },
  SS: { size: 2, read: (ds, tag, i) => ds.int16(tag, i) },
  UL: { size: 4, read: (ds, tag, i) => ds.uint32(tag, i) },
  SL: { size: 4, read: (ds, tag, i) => ds.int32(tag, i) },
  FL: { size: 4, read: (ds, tag, i) => ds.float(tag, i) },
  FD: { size: 8, read: (ds, tag, i) => ds.double(tag, i) },
};
/** How much of a value the browser shows; the rest is summarised. */
const MAX_TEXT = 512;
const MAX_NUMBERS = 32;
const MAX_HEX_BYTES = 16;
/** Sequences nested deeper than this are summarised (a hostile file could nest thousands). */
const MAX_DEPTH = 8;
/** Elements listed at most (an enhanced multi-frame header can hold hundreds of thousands). */
export const MAX_TAGS = 20_000;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters)` : text;
}

function hexBytes(ds: DataSet, element: Element): string {
  const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function valueOf(ds: DataSet, element: Element, vr: string): string {
  const { tag, length } = element;
  if (length === 0) return '';
  if (tag === 'x7fe00010' || element.encapsulatedPixelData === true) {
    const fragments = element.fragments?.length;
    return `pixel data, ${length > 0 ? `${length} bytes` : 'encapsulated'}${fragments === undefined ? '' : `, ${fragments} fragment${fragments === 1 ? '' : 's'}`}`;
  }
  if (STRING_VRS.has(vr)) {
    const text = ds.string(tag) ?? '';
    return clip(text);
  }
  const numbers = NUMBER_VRS[vr];
  if (numbers !== undefined) {
    const count = Math.floor(length / numbers.size);
    const shown = Math.min(count, MAX_NUMBERS);
    const values: string[] = [];
    for (let i = 0; i < shown; i++) {
      const value = numbers.read(ds, tag, i);
      values.push(value === undefined ? '?' : String(Number(value.toPrecision(8))));
    }
    return count > shown ? `${values.join('\\')}\\… (${count} values)` : values.join('\\');
  }
  if (vr === 'AT') {
    const pairs: string[] = [];
    for (let i = 0; i + 4 <= Math.min(length, 64); i += 4) {
      const group = ds.uint16(tag, i / 2) ?? 0;
      const elementNumber = ds.uint16(tag, i / 2 + 1) ?? 0;
      pairs.push(formatTag(group, elementNumber));
    }
    return pairs.join('\\');
  }
  // OB, OW, OF, OD, OL, UN and anything unknown: binary, summarised.
  return length <= MAX_HEX_BYTES ? hexBytes(ds, element) : `binary, ${length} bytes`;
}

/** The private creator of a private element (gggg,xxyy): the value of (gggg,00xx). */
function privateName(ds: DataSet, group: number, element: number): string {
  if (element === 0) return 'Private group length';
  if (element < 0x0100) return 'Private Creator';
  const creatorTag = `x${group.toString(16).padStart(4, '0')}00${(element >> 8).toString(16).padStart(2, '0')}`;
  const creator = ds.string(creatorTag)?.trim();
  return creator === undefined || creator === '' ? 'Private (no creator)' : `Private: ${creator}`;
}

/**
 * Every element of a data set, in file order, as the tag browser lists it: tag, VR (from the
 * file, or the dictionary for implicit VR), keyword, value (binary and long values summarised),
 * private elements named by their creator, and the items of sequences below them.
 */
export function listDicomTags(
  dataSet: DataSet,
  vrOf: (tag: string) => string | undefined,
): {
  tags: DicomTag[];
  truncated: boolean;
} {
  const tags: DicomTag[] = [];
  let truncated = false;
  const walk = (ds: DataSet, depth: number): void => {
    const elements = Object.values(ds.elements).sort((a, b) => (a.tag < b.tag ? -1 : 1));
    for (const element of elements) {
      if (tags.length >= MAX_TAGS) {
        truncated = true;
        return;
      }
      const [group, elementNumber] = parseTag(element.tag);
      const isPrivate = group % 2 === 1;
      const known = isPrivate ? undefined : dictionaryEntry(group, elementNumber);
      const vr = element.vr ?? vrOf(element.tag) ?? (element.items !== undefined ? 'SQ' : 'UN');
      const name = isPrivate
        ? privateName(ds, group, elementNumber)
        : elementNumber === 0
          ? 'Group length'
          : (known?.name ?? 'Unknown (not in the dictionary)');
      const items = element.items;
      const isSequence = vr === 'SQ' || items !== undefined;
      tags.push({
        tag: formatTag(group, elementNumber),
        vr: isSequence ? 'SQ' : vr,
        name,
        value: isSequence
          ? `${items?.length ?? 0} item${items?.length === 1 ? '' : 's'}`
          : valueOf(ds, element, vr),
        isPrivate,
        depth,
        length: Math.max(0, element.length),
      });
      if (items === undefined) continue;
      if (depth + 1 > MAX_DEPTH) {
        truncated = true;
        continue;
      }
      items.forEach((item, i) => {
        tags.push({
          tag: '(FFFE,E000)',
          vr: '',
          name: `Item ${i + 1}`,
          value: '',
          isPrivate,
          depth: depth + 1,
          length: Math.max(0, item.length),
        });
        if (item.dataSet !== undefined) walk(item.dataSet, depth + 2);
      });
    }
  };
  walk(dataSet, 0);
  return { tags, truncated };
}
