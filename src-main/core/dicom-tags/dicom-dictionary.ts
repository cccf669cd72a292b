import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** daikon's DICOM data dictionary (a dependency already, for its JPEG codec): group → element → [VR, keyword]. */
const dictionary = (
  require('daikon/src/dictionary.js') as {
    dict: Record<string, Record<string, [string, string]> | undefined>;
  }
).dict;

const hex4 = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0');

/** The standard VR and keyword of a tag, if the dictionary knows it. */
export function dictionaryEntry(
  group: number,
  element: number,
): { vr: string; name: string } | undefined {
  const entry = dictionary[hex4(group)]?.[hex4(element)];
  if (entry !== undefined) return { vr: entry[0], name: entry[1] };
  // Repeating groups (curves, overlays: 50xx, 60xx) are listed under their first group.
  if ((group & 0xff00) === 0x6000 || (group & 0xff00) === 0x5000) {
    const first = dictionary[hex4(group & 0xff00)]?.[hex4(element)];
    if (first !== undefined) return { vr: first[0], name: first[1] };
  }
  return undefined;
}

/** "x00100010" (dicom-parser's form) → [0x0010, 0x0010]. */
export function parseTag(tag: string): [number, number] {
  return [Number.parseInt(tag.slice(1, 5), 16), Number.parseInt(tag.slice(5, 9), 16)];
}

/** [0x0010, 0x0010] → "(0010,0010)". */
export function formatTag(group: number, element: number): string {
  return `(${hex4(group)},${hex4(element)})`;
}
