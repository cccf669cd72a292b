import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAnalysisImageKind, type AnalysisImageKind } from '../../src-shared/contract/analysis.js';
import { AppError } from '../../src-shared/errors.js';
import type { Core } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { serveScanRead } from './scan-read-route.js';

export const ANALYSES_PREFIX = '/api/analyses/';
const IMAGE_PATH = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([^/]+)$/i;

export type AnalysisImagePath =
  | { readonly ok: true; readonly scanId: string; readonly kind: AnalysisImageKind }
  /** 'malformed': not `<scan id>/<name>` (400); 'unknown-image': no such picture name (404). */
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown-image' };

/** Reads `<scanId>/<heatmap|overlay>.png`, the part of the path after ANALYSES_PREFIX. */
export function parseAnalysisImagePath(rest: string): AnalysisImagePath {
  const match = IMAGE_PATH.exec(rest);
  if (match === null) return { ok: false, reason: 'malformed' };
  const name = match[2] as string;
  const kind = name.endsWith('.png') ? name.slice(0, -'.png'.length) : null;
  if (!isAnalysisImageKind(kind)) return { ok: false, reason: 'unknown-image' };
  return { ok: true, scanId: match[1] as string, kind };
}

/**
 * `GET /api/analyses/<scanId>/<heatmap|overlay>.png`: a picture of the latest analysis (the
 * classifier's class activation map, alone or over the slice). Bearer token and `scans.read`,
 * like `analysis.get`; 404 when the scan has no analysis or the analysis has no such picture.
 */
export async function handleAnalysisImage(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  await serveScanRead(core, req, res, 'analysis images', async () => {
    const parsed = parseAnalysisImagePath(path.slice(ANALYSES_PREFIX.length));
    if (!parsed.ok) {
      if (parsed.reason === 'malformed') {
        sendJson(
          res,
          400,
          failure('INVALID_INPUT', 'Ask for /api/analyses/<scan id>/<heatmap|overlay>.png.'),
        );
      } else {
        sendJson(
          res,
          404,
          failure('NOT_FOUND', 'An analysis has only heatmap.png and overlay.png.'),
        );
      }
      return;
    }
    const outputs = await core.analysis.outputs(parsed.scanId);
    const png = parsed.kind === 'heatmap' ? outputs.heatmapPng : outputs.overlayPng;
    if (png === null) {
      // Only a classifier produces these pictures; a segmentation-only analysis has none.
      throw new AppError('NOT_FOUND', `This analysis has no ${parsed.kind} image.`);
    }
    res.writeHead(200, {
      'Content-Type': 'image/png',
      'Content-Length': png.byteLength,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : png);
  });
}
