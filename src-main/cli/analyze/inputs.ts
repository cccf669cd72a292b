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
  /**
   * Set when these files are byte for byte the files of an earlier input (a copy under another
   * path): that input's first path. Both name the same scan; each gets its own outputs.
   */
  sameFileAs?: string;
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
  /** Per scan, its inputs: the first, then one per further copy of its files. */
  const byScan = new Map<string, PlannedInput[]>();
  const filesOf = new Map<PlannedInput, Set<string>>();
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
      const copies = byScan.get(item.scanId) ?? [];
      byScan.set(item.scanId, copies);
      if (copies.some((input) => input.paths.includes(item.path))) continue;
      // The first input of this scan that does not hold this file yet: a file met again under
      // another path starts (or joins) a copy, so every path the operator named gets its output.
      const fileId = item.fileId;
      let input = copies.find((c) => fileId === undefined || !filesOf.get(c)?.has(fileId));
      if (input === undefined) {
        input = { paths: [], scanId: item.scanId, problem: null };
        const original = copies[0]?.paths[0];
        if (original !== undefined) input.sameFileAs = original;
        copies.push(input);
        inputs.push(input);
      }
      input.paths.push(item.path);
      if (fileId !== undefined) filesOf.set(input, (filesOf.get(input) ?? new Set()).add(fileId));
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
