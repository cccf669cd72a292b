import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { FileRecord, Scan } from '../../../src-shared/contract/entities.js';
import type { ScanId } from '../../../src-shared/ids.js';
import { analysisFiles, type AnalysisFiles, type StoredAnalysisOutputs } from './analysis-files.js';
import { outputBaseName, pathAsUploaded, portableFileName } from './output-names.js';
import { createZip } from './zip-writer.js';

export interface ExportsDeps {
  /**
   * The scan and the files it holds; derived files (label maps, meshes stored with it) are
   * named in `derivedFileIds`. Throws NOT_FOUND for an unknown scan.
   */
  scanDetail(scanId: string): { scan: Scan; files: FileRecord[]; derivedFileIds: string[] };
  /** The latest analysis and its stored outputs. Throws NOT_FOUND when there is none. */
  analysisOutputs(scanId: string): Promise<StoredAnalysisOutputs & { analysis: Analysis }>;
  /** Where browser uploads are staged: their paths there are named as the browser sent them. */
  uploadsDir?: string;
}

/** A file ready to hand to a download or to write to disk. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/**
 * Exports of stored results, for every shell: the CLI's --out writes the files, the desktop app
 * and serve mode hand out the ZIP bundle ("Export results").
 */
export function createExportsService(deps: ExportsDeps) {
  /**
   * What the scan's outputs are called: the file it was imported from, or its series folder;
   * for a series uploaded without a folder, its description.
   */
  function defaultBaseName(scanId: ScanId): string {
    const { scan, files, derivedFileIds } = deps.scanDetail(scanId);
    const derived = new Set(derivedFileIds);
    const { uploadsDir } = deps;
    const paths = files
      .filter((file) => !derived.has(file.id))
      .flatMap((file) => (file.originalPath === null ? [] : [file.originalPath]))
      .map((path) => (uploadsDir === undefined ? path : pathAsUploaded(path, uploadsDir)));
    const description = scan.description?.trim() ?? '';
    return outputBaseName(paths, description === '' ? `scan-${scanId.slice(0, 8)}` : description);
  }

  async function analysisResults(
    scanId: ScanId,
    options: { baseName?: string } = {},
  ): Promise<AnalysisFiles & { analysis: Analysis; baseName: string }> {
    const { scan } = deps.scanDetail(scanId);
    const baseName = options.baseName ?? defaultBaseName(scanId);
    // The stored mask lies on the grid its own analysis read: the latest analysis's input.
    const { analysis, ...outputs } = await deps.analysisOutputs(scanId);
    const exported = analysisFiles({
      baseName,
      scan,
      dims: analysis.input.dimensions,
      outputs,
      analysis,
    });
    return { ...exported, analysis, baseName };
  }

  return {
    /**
     * The files of the scan's latest analysis: mask (PNG or NIfTI .nii.gz with the scan's
     * geometry, values 0/1), heatmap and overlay PNGs, and the results JSON.
     */
    analysisResults,

    /** The same files in one ZIP, `<base>_analysis.zip`, for a download. */
    async analysisBundle(scanId: ScanId): Promise<ExportedFile & { warnings: string[] }> {
      const { files, analysis, baseName, warnings } = await analysisResults(scanId, {
        baseName: portableFileName(defaultBaseName(scanId)),
      });
      const bytes = createZip(
        files.map((file) => ({ name: file.name, bytes: file.bytes })),
        new Date(analysis.createdAt),
      );
      return { fileName: `${baseName}_analysis.zip`, mimeType: 'application/zip', bytes, warnings };
    },
  };
}
export type ExportsService = ReturnType<typeof createExportsService>;
