import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { Scan } from '../../../src-shared/contract/entities.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';
import { encodeMaskFile } from './mask-file.js';

/** What a file of an analysis export holds. */
export type AnalysisFileKind = 'mask' | 'heatmap' | 'overlay' | 'results';

export interface AnalysisFile {
  kind: AnalysisFileKind;
  /** `<base>_mask.png|.nii.gz`, `<base>_heatmap.png`, `<base>_overlay.png`, `<base>_results.json`. */
  name: string;
  mimeType: string;
  bytes: Buffer;
}

/** The stored outputs of one analysis, as the analysis service reads them back. */
export interface StoredAnalysisOutputs {
  /** The mask on the scan's voxel grid (x fastest), as the analysis stored it; null if lost. */
  mask: Uint8Array | null;
  /** PNGs of the classified slice; null when no classifier ran. */
  heatmapPng: Buffer | null;
  overlayPng: Buffer | null;
}

export interface AnalysisFiles {
  /** In a fixed order: mask, heatmap, overlay, results; only those that exist. */
  files: AnalysisFile[];
  /** Things worth knowing that did not stop the export (e.g. geometry the scan did not record). */
  warnings: string[];
}

/**
 * Why an export has no mask file. An analysis that refused its input (or whose pipeline makes no
 * mask) never stored one: say that, in its own words, rather than blame the data folder.
 */
function missingMaskWarning(analysis: Analysis | undefined): string {
  if (analysis?.outputs.hasMask === false) {
    const { findings } = analysis;
    return findings.kind === 'not-applicable'
      ? `no mask: the analysis found the input not applicable and ran no model. ${findings.reason}`
      : 'no mask: this analysis made none';
  }
  return 'the stored mask is missing from the data folder: analyse the scan again';
}

/**
 * The files of one analysis, named after `baseName`: the mask (PNG for a 2D picture, NIfTI with
 * the scan's geometry for a volume, values 0/1), the heatmap and overlay PNGs when a classifier
 * ran, and, given the analysis, the results as JSON (the contract's Analysis, as analysis.get
 * returns it). `dims` is the grid the analysis read (its input.dimensions).
 */
export function analysisFiles(input: {
  baseName: string;
  scan: Scan;
  dims: Vector3;
  outputs: StoredAnalysisOutputs;
  analysis?: Analysis;
}): AnalysisFiles {
  const { baseName, outputs } = input;
  const files: AnalysisFile[] = [];
  const warnings: string[] = [];
  // A chest X-ray reading classifies the whole radiograph: having no mask is its nature, not news.
  const makesNoMask = input.analysis?.findings.kind === 'chest-xray';
  if (outputs.mask === null) {
    if (!makesNoMask) warnings.push(missingMaskWarning(input.analysis));
  } else {
    const mask = encodeMaskFile(input.scan, input.dims, outputs.mask);
    files.push({
      kind: 'mask',
      name: `${baseName}_mask.${mask.extension}`,
      mimeType: mask.extension === 'png' ? 'image/png' : 'application/gzip',
      bytes: mask.bytes,
    });
    warnings.push(...mask.warnings);
  }
  if (outputs.heatmapPng !== null)
    files.push({
      kind: 'heatmap',
      name: `${baseName}_heatmap.png`,
      mimeType: 'image/png',
      bytes: outputs.heatmapPng,
    });
  if (outputs.overlayPng !== null)
    files.push({
      kind: 'overlay',
      name: `${baseName}_overlay.png`,
      mimeType: 'image/png',
      bytes: outputs.overlayPng,
    });
  if (input.analysis !== undefined)
    files.push({
      kind: 'results',
      name: `${baseName}_results.json`,
      mimeType: 'application/json',
      bytes: Buffer.from(`${JSON.stringify(input.analysis, null, 2)}\n`, 'utf8'),
    });
  return { files, warnings };
}
