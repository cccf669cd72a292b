import { groupPictureSeries, type PictureCandidate } from '../../core/index.js';
import type { CliCore } from '../cli-core.js';
import type { PlannedInput } from './inputs.js';

/** The series of each 2D picture among the inputs (see groupPictureSeries). */
export async function seriesOfPictures(
  cli: CliCore,
  inputs: readonly PlannedInput[],
): Promise<Map<string, string[]>> {
  const candidates: PictureCandidate[] = [];
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
    candidates.push({
      scanId: scan.id,
      path,
      kind: scan.kind,
      format: scan.format,
      rows: scan.rows,
      columns: scan.columns,
    });
  }
  return groupPictureSeries(candidates);
}
