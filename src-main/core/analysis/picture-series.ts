import { dirname } from 'node:path';

export interface PictureCandidate {
  scanId: string;
  /** The file the picture was imported from. */
  path: string;
  kind: 'image' | 'series' | 'volume';
  format: string;
  rows: number | null;
  columns: number | null;
}

/**
 * 2D pictures (PNG/JPEG) of one size in one folder are taken as slices exported from one series,
 * e.g. a folder of PNG slices: they are analysed with each other named as their series, so the
 * intensity window spans the whole series as the segmentation model was trained. Returns, per
 * scan id, the ids of its series (itself included); pictures without siblings are left out.
 */
export function groupPictureSeries(candidates: readonly PictureCandidate[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const c of candidates) {
    if (c.kind !== 'image' || (c.format !== 'png' && c.format !== 'jpeg')) continue;
    const key = `${dirname(c.path)}\u0000${c.rows ?? 0}x${c.columns ?? 0}`;
    const members = groups.get(key) ?? [];
    if (!members.includes(c.scanId)) members.push(c.scanId);
    groups.set(key, members);
  }
  const series = new Map<string, string[]>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    for (const id of members) series.set(id, members);
  }
  return series;
}
