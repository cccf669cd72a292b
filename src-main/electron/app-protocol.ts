/**
 * The handler behind `protocol.handle(APP_SCHEME, …)`: serves the built renderer and nothing
 * else. Uses only the Fetch API's Request/Response (global in Node and in Electron's main
 * process), so it is tested without Electron.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { APP_RESPONSE_HEADERS, mimeTypeFor, resolveAppAsset } from './policy.js';

export interface AppProtocolOptions {
  /** The folder holding the built renderer (dist/renderer). */
  readonly rootDir: string;
  /** Injected so tests can simulate unreadable files. */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? ((path: string) => fsReadFile(path));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const file = resolveAppAsset(options.rootDir, request.url);
    if (file === null) return textResponse(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch (error) {
      // Never echo the path or the OS error: the renderer has no business knowing either.
      return isMissingFileError(error)
        ? textResponse(404, 'Not found')
        : textResponse(500, 'The file could not be read');
    }
    const headers = {
      ...APP_RESPONSE_HEADERS,
      'Content-Type': mimeTypeFor(file),
      'Content-Length': String(body.byteLength),
    };
    // Copy into a fresh ArrayBuffer-backed view: Buffers from the pool share a larger buffer.
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers,
    });
  };
}
