import type { ServerResponse } from 'node:http';
import type { AppErrorData, ErrorCode } from '../../src-shared/errors.js';

export interface Failure {
  readonly ok: false;
  readonly error: AppErrorData;
}

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/** API responses hold patient data: no cache may keep them. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
