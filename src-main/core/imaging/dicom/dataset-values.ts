import type { DataSet } from 'dicom-parser';

/** Small typed readers over dicom-parser's DataSet that never return NaN or blank strings. */
export function text(ds: DataSet, tag: string, index?: number): string | null {
  const value = ds.string(tag, index);
  return value === undefined || value.trim() === '' ? null : value.trim();
}

export function decimal(ds: DataSet, tag: string, index = 0): number | null {
  const value = ds.floatString(tag, index);
  return value === undefined || !Number.isFinite(value) ? null : value;
}

export function decimals(ds: DataSet, tag: string, count: number): number[] | null {
  if (ds.elements[tag] === undefined) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = decimal(ds, tag, i);
    if (value === null) return null;
    out.push(value);
  }
  return out;
}

export function integer(ds: DataSet, tag: string): number | null {
  const value = ds.intString(tag);
  return value === undefined || !Number.isFinite(value) ? null : value;
}

export function unsigned16(ds: DataSet, tag: string, index = 0): number | null {
  const element = ds.elements[tag];
  if (element === undefined || element.length < 2 * (index + 1)) return null;
  return ds.uint16(tag, index) ?? null;
}

/** The first item of a sequence, as a data set. */
export function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

/** All multi-valued strings of an element (e.g. ImageType's backslash-separated values). */
export function allStrings(ds: DataSet, tag: string): string[] {
  const count = ds.numStringValues(tag) ?? 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const value = text(ds, tag, i);
    if (value !== null) out.push(value.toUpperCase());
  }
  return out;
}
