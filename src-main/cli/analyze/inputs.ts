import { dirname } from 'node:path';
import type { ImportReport } from '../../../src-shared/contract/entities.js';
import type { ErrorCode } from '../../../src-shared/errors.js';

/** One unit the command reports on: a scan to analyse, or files that cannot be analysed. */
export interface PlannedInput {
  /** The input files that make it up (absolute), in the order the import met them. */
  paths: string[];
  scanId: string | null;
  /** Why it cannot be analysed; null for a scan. */
  problem: { code: ErrorCode; message: string } | null;
}

export const SAME_IMAGE_OTHER_FILE =
  'Already imported as another file (same SOP Instance UID, other bytes), so the import does ' +
  'not say which scan holds it: find the scan with "neurosphere scans list" and analyse it ' +
  'with "neurosphere analyze --scan ID".';

/**
 * Groups an import report into what to analyse: one input per scan (its files, whether new or
 * already stored), one per rejected file, and one per folder of duplicates whose scan the
 * report cannot name. Order follows the report, so the output reads like the command line.
 */
export function planInputs(report: ImportReport): PlannedInput[] {
  const inputs: PlannedInput[] = [];
  const byScan = new Map<string, PlannedInput>();
  const unknownByFolder = new Map<string, PlannedInput>();
  for (const item of report.items) {
    if (item.status === 'rejected') {
      inputs.push({
        paths: [item.path],
        scanId: null,
        problem: {
          code: item.code ?? 'INVALID_INPUT',
          message: item.reason ?? 'Rejected by the import (no reason recorded).',
        },
      });
      continue;
    }
    if (item.scanId !== undefined) {
      const existing = byScan.get(item.scanId);
      if (existing === undefined) {
        const input: PlannedInput = { paths: [item.path], scanId: item.scanId, problem: null };
        byScan.set(item.scanId, input);
        inputs.push(input);
      } else if (!existing.paths.includes(item.path)) existing.paths.push(item.path);
      continue;
    }
    // A duplicate found by SOP Instance UID carries no scan id. One line per folder: a
    // re-exported series would otherwise print the same advice for every slice.
    const key = `${item.status}|${dirname(item.path)}`;
    const group = unknownByFolder.get(key);
    if (group !== undefined) {
      group.paths.push(item.path);
      continue;
    }
    const input: PlannedInput = {
      paths: [item.path],
      scanId: null,
      problem:
        item.status === 'duplicate'
          ? { code: 'DUPLICATE', message: SAME_IMAGE_OTHER_FILE }
          : {
              code: 'INVALID_INPUT',
              message: `Imported, but not as an image that can be analysed: ${item.reason ?? 'no scan was created'}.`,
            },
    };
    unknownByFolder.set(key, input);
    inputs.push(input);
  }
  return inputs;
}

/** Adds scans named with --scan, unless the paths already brought them in. */
export function addScans(
  inputs: PlannedInput[],
  scans: ReadonlyArray<{ scanId: string; paths: string[] }>,
): PlannedInput[] {
  const all = [...inputs];
  const known = new Set(inputs.map((input) => input.scanId));
  for (const { scanId, paths } of scans) {
    if (known.has(scanId)) continue;
    known.add(scanId);
    all.push({ paths, scanId, problem: null });
  }
  return all;
}
