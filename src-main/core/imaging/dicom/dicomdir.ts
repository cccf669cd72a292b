import { dirname, join } from 'node:path';
import type { DataSet } from 'dicom-parser';
import { text } from './dataset-values.js';

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

export function isDicomDir(ds: DataSet): boolean {
  return (
    text(ds, 'x00020002') === MEDIA_STORAGE_DIRECTORY || ds.elements['x00041220'] !== undefined
  );
}

/**
 * The image files a DICOMDIR (the index on a CD) lists: Referenced File IDs are path
 * components relative to the DICOMDIR's folder. Ids that climb out of it are ignored.
 */
export function dicomDirFiles(ds: DataSet, dicomDirPath: string): string[] {
  const root = dirname(dicomDirPath);
  const files: string[] = [];
  for (const item of ds.elements['x00041220']?.items ?? []) {
    const record = item.dataSet;
    if (record === undefined) continue;
    const count = record.numStringValues('x00041500') ?? 0;
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const part = text(record, 'x00041500', i);
      if (part !== null) parts.push(part);
    }
    if (parts.length === 0 || parts.some((p) => p === '..' || p === '.' || p.includes('/')))
      continue;
    files.push(join(root, ...parts));
  }
  return files;
}
