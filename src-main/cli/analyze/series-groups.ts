import { dirname } from 'node:path';
import type { CliCore } from '../cli-core.js';
import type { PlannedInput } from './inputs.js';

/**
 * 2D pictures of one size in one folder are taken as slices exported from one series (e.g. a
 * folder of PNG slices): each is analysed with the others named as its series, so the intensity
 * window spans the whole series as the segmentation model was trained. Returns, per scan id,
 * the ids of its series (itself included); pictures without siblings are left out.
 */
export async function seriesOfPictures(
  cli: CliCore,
  inputs: readonly PlannedInput[],
): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>();
  for (const input of inputs) {
    const path = input.paths[0];
    if (
      input.scanId === null ||
      input.problem !== null ||
      input.paths.length !== 1 ||
      path === undefined
    )
      continue;
    const { scan } = await cli.call('scans.get', { id: input.scanId });
    if (scan.kind !== 'image' || (scan.format !== 'png' && scan.format !== 'jpeg')) continue;
    const key = `${dirname(path)}\u0000${scan.rows ?? 0}x${scan.columns ?? 0}`;
    groups.set(key, [...(groups.get(key) ?? []), input.scanId]);
  }
  const series = new Map<string, string[]>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    for (const id of members) series.set(id, members);
  }
  return series;
}
