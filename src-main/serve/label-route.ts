import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Core } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { serveScanRead } from './scan-read-route.js';

export const LABELS_PREFIX = '/api/labels/';
/** The response header carrying the LabelVolumeInfo as JSON (ASCII: numbers, a UUID, 'analysis'). */
export const LABEL_INFO_HEADER = 'X-Neurosphere-Label-Info';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const LABEL_PATH = new RegExp(`^(${UUID})/(analysis|${UUID})$`);

const gzipAsync = promisify(gzip);

/**
 * Whether an Accept-Encoding header allows gzip: `gzip` or `*`, unless refused with `q=0`.
 * Browsers always send it; a client without it (curl by default) gets the plain bytes.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let isAccepted = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const isRefused = q !== undefined && Number(q.slice(2)) === 0;
    if (name === 'gzip') return !isRefused;
    if (name === '*') isAccepted = !isRefused;
  }
  return isAccepted;
}

/**
 * `GET /api/labels/<scanId>/<analysis|segmentationId>`: a whole label volume on the scan's frame
 * grid as uint8 bytes, with its LabelVolumeInfo in a header (one request per volume, as for
 * frames). Masks are mostly zeros (a 240×240×155 mask is 8.9 MB, a few KB gzipped), so the body
 * is gzipped for clients that accept it. Bearer token and `scans.read`, like `scans.get`.
 */
export async function handleLabels(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  await serveScanRead(core, req, res, 'label volumes', async () => {
    const match = LABEL_PATH.exec(path.slice(LABELS_PREFIX.length));
    if (match === null) {
      sendJson(
        res,
        400,
        failure('INVALID_INPUT', 'Ask for /api/labels/<scan id>/<analysis or segmentation id>.'),
      );
      return;
    }
    const volume = await core.labels.getVolume(match[1] as string, match[2] as string);
    const isGzip = acceptsGzip(req.headers['accept-encoding']);
    const { data } = volume;
    const body = isGzip
      ? await gzipAsync(data)
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.byteLength,
      'Cache-Control': 'no-store',
      Vary: 'Accept-Encoding',
      ...(isGzip && { 'Content-Encoding': 'gzip' }),
      [LABEL_INFO_HEADER]: JSON.stringify(volume.info),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
