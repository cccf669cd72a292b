import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { appRoot } from '../platform/version.js';

/** Where `npm run build:renderer` writes the standalone scene viewer (vite.scene-export.config.ts). */
export function defaultViewerScriptPath(): string {
  return join(appRoot(), 'dist', 'scene-export', 'scene-viewer.js');
}

/** Reads the viewer bundle the HTML scenes inline; a clear error when it was never built. */
export function viewerScriptLoader(path: string): () => Promise<string> {
  return async () => {
    try {
      return await readFile(path, 'utf8');
    } catch {
      throw new AppError(
        'NOT_FOUND',
        `The 3D scene viewer is not built (${path} is missing): run "npm run build:renderer", then generate the scene again.`,
      );
    }
  };
}
