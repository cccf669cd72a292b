import { readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { DataSet } from 'dicom-parser';
import { text } from './dataset-values.js';

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

export function isDicomDir(ds: DataSet): boolean {
  return (
    text(ds, 'x00020002') === MEDIA_STORAGE_DIRECTORY || ds.elements['x00041220'] !== undefined
  );
}

/** A path component that could leave the folder or name another drive. */
function isUnsafeComponent(part: string): boolean {
  return part === '.' || part === '..' || /[/\\:\0]/.test(part);
}

/**
 * The Referenced File IDs of a DICOMDIR's records, each as its path components (relative to the
 * DICOMDIR's folder). An ID with an empty component (`\IMAGES\IM1`, an absolute path) or one that
 * climbs out of the folder is left out: a CD's index may only point inside the CD.
 */
function referencedFileIds(ds: DataSet): string[][] {
  const ids: string[][] = [];
  for (const item of ds.elements['x00041220']?.items ?? []) {
    const record = item.dataSet;
    if (record === undefined) continue;
    const count = record.numStringValues('x00041500') ?? 0;
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(text(record, 'x00041500', i) ?? '');
    if (parts.length === 0 || parts.some((p) => p === '' || isUnsafeComponent(p))) continue;
    ids.push(parts);
  }
  return ids;
}

/** A name as a CD shows it on any system: case folded, without ISO 9660's `;1` or a bare `.`. */
function cdName(name: string): string {
  return name.replace(/;\d+$/, '').replace(/\.$/, '').toUpperCase();
}

/** A folder's entries by exact name and by CD name (first entry wins when two fold alike). */
interface Listing {
  exact: Set<string>;
  folded: Map<string, string>;
}

function listFolder(dir: string): Listing {
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // Not a folder or not readable: nothing matches, and the import reports the path.
  }
  const folded = new Map<string, string>();
  for (const name of names) if (!folded.has(cdName(name))) folded.set(cdName(name), name);
  return { exact: new Set(names), folded };
}

/**
 * The files a DICOMDIR (the index on a CD) lists, as paths on disk. Each component is found in
 * its folder exactly, else ignoring case and ISO 9660 decorations: Linux may show a CD in lower
 * case (`images/im0001` for `IMAGES\IM0001`), and on case-insensitive systems the folder's own
 * spelling is what the folder walk yields, so one file is not queued twice under two spellings.
 * A component not found keeps the DICOMDIR's spelling, so the import reports that path missing.
 */
export function dicomDirFiles(ds: DataSet, dicomDirPath: string): string[] {
  const root = dirname(dicomDirPath);
  const listings = new Map<string, Listing>();
  const files: string[] = [];
  for (const parts of referencedFileIds(ds)) {
    let path = root;
    for (const part of parts) {
      let listing = listings.get(path);
      if (listing === undefined) {
        listing = listFolder(path);
        listings.set(path, listing);
      }
      path = join(
        path,
        listing.exact.has(part) ? part : (listing.folded.get(cdName(part)) ?? part),
      );
    }
    // Components were checked above; this guards the joined path as well.
    const inside = relative(root, path);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      continue;
    files.push(path);
  }
  return files;
}
