import type { StreamAnswer } from '../../../src-shared/bridge.js';
import {
  STREAM_DESCRIPTION_HEADER,
  STREAM_PATH_PREFIX,
  type StreamName,
} from '../../../src-shared/contract/streams.js';
import type { ErrorCode, Result } from '../../../src-shared/errors.js';
import { failure, isResult } from './result-guard.js';
import type { StreamOptions } from './transport.js';

const UNREACHABLE =
  'Cannot reach the Neurosphere server. Check that it is running and that this computer is connected to it.';

/** The part of XMLHttpRequest an upload uses (fetch cannot report upload progress). */
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

export interface HttpStreamDeps {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly openXhr: () => XhrLike;
}

export interface StreamCall {
  readonly name: StreamName;
  readonly params: Readonly<Record<string, unknown>>;
  readonly token: string | null;
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

function cancelled(): Result<never> {
  return failure('CANCELLED', 'The transfer was cancelled.');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `/api/stream/<name>?<params>`: params are flat strings and numbers (see the stream table). */
export function streamUrl(baseUrl: string, name: StreamName, params: StreamCall['params']): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  return new URL(`${STREAM_PATH_PREFIX}${name}?${query.toString()}`, baseUrl).toString();
}

/** An upload: PUT with the file as the raw body, through XHR for its progress events. */
function putOverHttp(
  deps: HttpStreamDeps,
  call: StreamCall,
  body: Blob,
  options: StreamOptions,
): Promise<Result<StreamAnswer>> {
  return new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve(cancelled());
      return;
    }
    const xhr = deps.openXhr();
    const onAbort = (): void => xhr.abort();
    const settle = (result: Result<StreamAnswer>): void => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    xhr.open('PUT', streamUrl(deps.baseUrl, call.name, call.params));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (call.token !== null) xhr.setRequestHeader('Authorization', `Bearer ${call.token}`);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded);
    xhr.onload = () => {
      const answer = parseJson(xhr.responseText);
      if (!isResult(answer)) settle(unexpected(xhr.status));
      else if (!answer.ok) settle(answer);
      else {
        options.onProgress?.(body.size);
        settle({ ok: true, value: { description: answer.value, data: new ArrayBuffer(0) } });
      }
    };
    xhr.onerror = () => settle(failure('REMOTE_UNREACHABLE', UNREACHABLE));
    xhr.onabort = () => settle(cancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(body);
  });
}

/** A download: GET with the token; the bytes from the body, the description from its header. */
async function getOverHttp(
  deps: HttpStreamDeps,
  call: StreamCall,
  options: StreamOptions,
): Promise<Result<StreamAnswer>> {
  let response: Response;
  try {
    response = await deps.fetch(streamUrl(deps.baseUrl, call.name, call.params), {
      headers: call.token === null ? {} : { Authorization: `Bearer ${call.token}` },
      cache: 'no-store',
      credentials: 'omit',
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    if (!response.ok) {
      const body = parseJson(await response.text().catch(() => ''));
      return isResult(body) && !body.ok ? body : unexpected(response.status);
    }
    const header = response.headers.get(STREAM_DESCRIPTION_HEADER);
    // The browser has undone any gzip (Content-Encoding) by now.
    const data = await response.arrayBuffer();
    return { ok: true, value: { description: header === null ? null : parseJson(header), data } };
  } catch {
    if (options.signal?.aborted === true) return cancelled();
    return failure('REMOTE_UNREACHABLE', UNREACHABLE);
  }
}

/**
 * Serve mode's side of every stream: `GET /api/stream/<name>?<params>` for downloads and
 * `PUT` with the body for uploads. Never rejects; the server's error Result comes back as is.
 */
export function streamOverHttp(
  deps: HttpStreamDeps,
  call: StreamCall,
  options: StreamOptions = {},
): Promise<Result<StreamAnswer>> {
  return options.body === undefined
    ? getOverHttp(deps, call, options)
    : putOverHttp(deps, call, options.body, options);
}
