import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scan } from '../../../src-shared/contract/entities.js';
import { encodeMaskFile } from './mask-file.js';

/** Where each output of one input went; null where there was nothing to write. */
export interface WrittenOutputs {
  mask: string | null;
  heatmap: string | null;
  overlay: string | null;
}

export interface AnalysisFiles {
  /** The mask on the scan's voxel grid (x fastest), as the analysis stored it. */
  mask: Uint8Array | null;
  /** PNGs of the classified slice; null when no classifier ran. */
  heatmapPng: Buffer | null;
  overlayPng: Buffer | null;
}

/**
 * Writes `<name>_mask.png|.nii.gz`, `<name>_heatmap.png` and `<name>_overlay.png` into `outDir`
 * (which exists). An existing file of the same name is replaced: running the same analysis again
 * into the same folder updates it.
 */
export async function writeAnalysisOutputs(options: {
  outDir: string;
  name: string;
  scan: Scan;
  dims: [number, number, number];
  files: AnalysisFiles;
}): Promise<{ written: WrittenOutputs; warnings: string[] }> {
  const { outDir, name, files } = options;
  const written: WrittenOutputs = { mask: null, heatmap: null, overlay: null };
  const warnings: string[] = [];
  if (files.mask === null) warnings.push('the stored mask is missing from the data folder');
  else {
    const maskFile = encodeMaskFile(options.scan, options.dims, files.mask);
    written.mask = join(outDir, `${name}_mask.${maskFile.extension}`);
    await writeFile(written.mask, maskFile.bytes);
    warnings.push(...maskFile.warnings);
  }
  if (files.heatmapPng !== null) {
    written.heatmap = join(outDir, `${name}_heatmap.png`);
    await writeFile(written.heatmap, files.heatmapPng);
  }
  if (files.overlayPng !== null) {
    written.overlay = join(outDir, `${name}_overlay.png`);
    await writeFile(written.overlay, files.overlayPng);
  }
  return { written, warnings };
}
