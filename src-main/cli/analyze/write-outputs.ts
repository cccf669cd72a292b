import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scan } from '../../../src-shared/contract/entities.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';
import {
  analysisFiles,
  type AnalysisFile,
  type AnalysisFiles as ExportedAnalysisFiles,
  type StoredAnalysisOutputs,
} from '../../core/index.js';

/** Where each output of one input went; null where there was nothing to write. */
export interface WrittenOutputs {
  mask: string | null;
  heatmap: string | null;
  overlay: string | null;
}

export type AnalysisFiles = StoredAnalysisOutputs;

/** The kinds --out writes: the images; the results are what --json prints. */
const WRITTEN_KINDS = ['mask', 'heatmap', 'overlay'] as const satisfies ReadonlyArray<
  AnalysisFile['kind']
>;

/**
 * Writes the images of a core export (`<name>_mask.png|.nii.gz`, `<name>_heatmap.png`,
 * `<name>_overlay.png`) into `outDir` (which exists). An existing file of the same name is
 * replaced: running the same analysis again into the same folder updates it.
 */
export async function writeExportedFiles(
  outDir: string,
  exported: ExportedAnalysisFiles,
): Promise<{ written: WrittenOutputs; warnings: string[] }> {
  const written: WrittenOutputs = { mask: null, heatmap: null, overlay: null };
  for (const kind of WRITTEN_KINDS) {
    const file = exported.files.find((candidate) => candidate.kind === kind);
    if (file === undefined) continue;
    written[kind] = join(outDir, file.name);
    await writeFile(written[kind], file.bytes);
  }
  return { written, warnings: [...exported.warnings] };
}

/** writeExportedFiles for outputs in hand (the scan, the grid the analysis read, its outputs). */
export async function writeAnalysisOutputs(options: {
  outDir: string;
  name: string;
  scan: Scan;
  dims: Vector3;
  files: AnalysisFiles;
}): Promise<{ written: WrittenOutputs; warnings: string[] }> {
  const { outDir, name, scan, dims, files } = options;
  return writeExportedFiles(outDir, analysisFiles({ baseName: name, scan, dims, outputs: files }));
}
