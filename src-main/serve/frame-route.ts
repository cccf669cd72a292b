import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { serveScanRead } from './scan-read-route.js';

export const FRAMES_PREFIX = '/api/frames/';
/** The response header carrying the frame's FrameInfo as JSON (ASCII: numbers, enums, a UUID). */
export const FRAME_INFO_HEADER = 'X-Neurosphere-Frame-Info';
const FRAME_PATH = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(\d{1,7})$/i;

/**
 * `GET /api/frames/<scanId>/<index>`: one decoded frame as raw bytes (stored values in the
 * dtype its FrameInfo names), with the FrameInfo in a header so the viewer needs one request per
 * frame. Bearer token and `scans.read`, like `images.frameInfo`.
 */
export async function handleFrame(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  await serveScanRead(core, req, res, 'frames', async () => {
    const match = FRAME_PATH.exec(path.slice(FRAMES_PREFIX.length));
    if (match === null) {
      sendJson(res, 400, failure('INVALID_INPUT', 'Ask for /api/frames/<scan id>/<frame index>.'));
      return;
    }
    const frame = await core.frames.getFrame(match[1] as string, Number(match[2]));
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': frame.data.byteLength,
      'Cache-Control': 'no-store',
      [FRAME_INFO_HEADER]: JSON.stringify(frame.info),
    });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(frame.data));
  });
}
