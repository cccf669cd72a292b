import type { AnalysisImageKind } from '../../../src-shared/contract/analysis.js';
import { frameInfoSchema } from '../../../src-shared/contract/frames.js';
import {
  parseLabelVolume,
  type BinaryLabelVolume,
  type LabelSource,
} from '../../../src-shared/contract/labels.js';
import type { UploadedFile } from '../../../src-shared/contract/uploads.js';
import type { ErrorCode, Result } from '../../../src-shared/errors.js';
import { failure, isResult } from './result-guard.js';
import type { BinaryFrame, UploadOptions } from './transport.js';

/** Serve mode sends a frame's FrameInfo in this header (src-main/serve/frame-route.ts). */
export const FRAME_INFO_HEADER = 'X-Neurosphere-Frame-Info';
/** …and a label volume's LabelVolumeInfo in this one (src-main/serve/label-route.ts). */
export const LABEL_INFO_HEADER = 'X-Neurosphere-Label-Info';

const UNREACHABLE =
  'Cannot reach the Neurosphere server. Check that it is running and that this computer is connected to it.';

/** The part of XMLHttpRequest the upload uses (fetch cannot report upload progress). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'FILE_TOO_LARGE';
  if (status === 502 || status === 503 || status === 504) return 'REMOTE_UNREACHABLE';
  return 'INTERNAL';
}

function unexpected(status: number): Result<never> {
  return failure(
    codeForStatus(status),
    `The Neurosphere server answered with an unexpected response (HTTP ${status}).`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** POST /api/uploads?batch=…&name=… with the file as the raw body. */
export function uploadOverHttp(
  baseUrl: string,
  openXhr: () => XhrLike,
  args: { batchId: string; name: string; file: Blob; token: string | null } & UploadOptions,
): Promise<Result<UploadedFile>> {
  return new Promise((resolve) => {
    if (args.signal?.aborted === true) {
      resolve(failure('CANCELLED', 'The upload was cancelled.'));
      return;
    }
    const query = new URLSearchParams({ batch: args.batchId, name: args.name });
    const xhr = openXhr();
    const onAbort = (): void => xhr.abort();
    const settle = (result: Result<UploadedFile>): void => {
      args.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    xhr.open('POST', new URL(`/api/uploads?${query.toString()}`, baseUrl).toString());
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (args.token !== null) xhr.setRequestHeader('Authorization', `Bearer ${args.token}`);
    xhr.upload.onprogress = (event) => args.onProgress?.(event.loaded);
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (isResult(body)) {
        if (body.ok) args.onProgress?.(args.file.size);
        settle(body as Result<UploadedFile>);
      } else settle(unexpected(xhr.status));
    };
    xhr.onerror = () => settle(failure('REMOTE_UNREACHABLE', UNREACHABLE));
    xhr.onabort = () => settle(failure('CANCELLED', 'The upload was cancelled.'));
    args.signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(args.file);
  });
}

/**
 * GET of a binary resource with the session token: the response when it succeeded, otherwise
 * the server's error Result (or one saying the server could not be reached or answered oddly).
 */
async function authorisedGet(
  baseUrl: string,
  fetchFn: typeof fetch,
  path: string,
  token: string | null,
): Promise<Result<Response>> {
  let response: Response;
  try {
    response = await fetchFn(new URL(path, baseUrl).toString(), {
      headers: token === null ? {} : { Authorization: `Bearer ${token}` },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return failure('REMOTE_UNREACHABLE', UNREACHABLE);
  }
  if (!response.ok) {
    const body = parseJson(await response.text().catch(() => ''));
    return isResult(body) && !body.ok ? body : unexpected(response.status);
  }
  return { ok: true, value: response };
}

/** GET /api/frames/<scanId>/<index>: the pixels as the body, the FrameInfo in a header. */
export async function frameOverHttp(
  baseUrl: string,
  fetchFn: typeof fetch,
  scanId: string,
  index: number,
  token: string | null,
): Promise<Result<BinaryFrame>> {
  const got = await authorisedGet(
    baseUrl,
    fetchFn,
    `/api/frames/${encodeURIComponent(scanId)}/${index}`,
    token,
  );
  if (!got.ok) return got;
  const response = got.value;
  const info = frameInfoSchema.safeParse(parseJson(response.headers.get(FRAME_INFO_HEADER) ?? ''));
  if (!info.success) return unexpected(response.status);
  return { ok: true, value: { info: info.data, data: await response.arrayBuffer() } };
}

/** GET /api/analyses/<scanId>/<kind>.png: the PNG as the body, a JSON Result on failure. */
export async function analysisImageOverHttp(
  baseUrl: string,
  fetchFn: typeof fetch,
  scanId: string,
  kind: AnalysisImageKind,
  token: string | null,
): Promise<Result<Blob>> {
  const got = await authorisedGet(
    baseUrl,
    fetchFn,
    `/api/analyses/${encodeURIComponent(scanId)}/${kind}.png`,
    token,
  );
  if (!got.ok) return got;
  const response = got.value;
  // Typed explicitly: the <img> must get a PNG whatever a proxy did to the header.
  return { ok: true, value: new Blob([await response.arrayBuffer()], { type: 'image/png' }) };
}

/**
 * GET /api/labels/<scanId>/<analysis|segmentationId>: the labels as the body (gzipped on the
 * wire; the browser decodes Content-Encoding itself), the LabelVolumeInfo in a header.
 */
export async function labelVolumeOverHttp(
  baseUrl: string,
  fetchFn: typeof fetch,
  scanId: string,
  source: LabelSource,
  token: string | null,
): Promise<Result<BinaryLabelVolume>> {
  const got = await authorisedGet(
    baseUrl,
    fetchFn,
    `/api/labels/${encodeURIComponent(scanId)}/${encodeURIComponent(source)}`,
    token,
  );
  if (!got.ok) return got;
  const response = got.value;
  const volume = parseLabelVolume(
    parseJson(response.headers.get(LABEL_INFO_HEADER) ?? ''),
    await response.arrayBuffer(),
  );
  return volume === null ? unexpected(response.status) : { ok: true, value: volume };
}
