import type { JobPayload } from '../../../src-shared/contract/entities.js';
import type { BinaryFrame } from '../../../src-shared/contract/frames.js';
import type { BinaryLabelVolume } from '../../../src-shared/contract/labels.js';
import type { Scan } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import { parseJobPayload } from '../jobs/job-payload.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { StoredBlob } from '../store/blob-store.js';
import { buildScene } from './scene-builder.js';
import type { SceneMesher } from './scene-mesher.js';
import { sceneHtml } from './scene-html.js';
import type { VisualizationsRepo } from './visualizations-repo.js';

export type VisualizationPayload = JobPayload<'visualization.build'>;

/**
 * The `visualization.build` job: meshes the scan's tumour and head, writes them with the viewer
 * into one HTML file, stores it as a blob and records it on the visualization row. Building
 * again gives the same scene, so an interrupted job is simply run again.
 */
export function createVisualizationJobRunner(deps: {
  repo: VisualizationsRepo;
  scan(scanId: string): Scan | undefined;
  readMask(scanId: string, source: string): Promise<BinaryLabelVolume>;
  readFrame(scanId: string, index: number): Promise<BinaryFrame>;
  readAttachments(scanId: string): Promise<Array<{ name: string; bytes: Uint8Array }>>;
  loadViewerScript(): Promise<string>;
  putBlob(data: Uint8Array): Promise<StoredBlob>;
  mesher: SceneMesher;
  now(): string;
}): JobRunner<VisualizationPayload> {
  return {
    type: 'visualization.build',
    isResumable: true,
    parsePayload: (payload) => parseJobPayload('visualization.build', payload),
    async run(ctx) {
      const { scanId, visualizationId } = ctx.payload;
      const scan = deps.scan(scanId);
      if (scan === undefined || deps.repo.get(visualizationId) === undefined)
        throw new AppError('NOT_FOUND', 'The scan of this 3D scene no longer exists.');
      // Read first: a missing viewer build fails at once, not after a minute of meshing.
      const viewerScript = await deps.loadViewerScript();
      const { document, meshes } = await buildScene(
        {
          scan,
          readMask: (source) => deps.readMask(scanId, source),
          readFrame: (index) => deps.readFrame(scanId, index),
          readAttachments: () => deps.readAttachments(scanId),
          mesher: deps.mesher,
          progress: (progress, stage) => ctx.reportProgress({ progress, stage }),
          throwIfCancelled: () => ctx.throwIfCancelled(),
          now: deps.now,
        },
        {
          quality: ctx.payload.quality,
          highlightTumor: ctx.payload.highlightTumor,
          colorScheme: ctx.payload.colorScheme,
          source: ctx.payload.source,
          withoutHead: ctx.payload.withoutHead ?? false,
        },
      );
      ctx.reportProgress({ progress: 0.95, stage: 'Writing the HTML file' });
      const html = new TextEncoder().encode(sceneHtml(document, meshes, viewerScript));
      ctx.throwIfCancelled();
      const blob = await deps.putBlob(html);
      if (!deps.repo.stored(visualizationId, blob, document.lesions.length))
        throw new AppError(
          'NOT_FOUND',
          'The scan of this 3D scene was deleted while it was built.',
        );
      return {
        visualizationId,
        size: blob.size,
        lesions: document.lesions.length,
        hasHead: document.head !== null,
      };
    },
  };
}
