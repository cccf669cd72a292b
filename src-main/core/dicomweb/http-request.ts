import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tlsOptionsFor } from '../sync/pinned-tls.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: readonly Buffer[];
  /** Pinned CA (PEM) of an https URL, or null for the system's CAs. */
  caPem: string | null;
  /** No connection, or no byte of the answer for this long: the request fails. */
  timeoutMs: number;
  /** Largest answer accepted, in bytes. */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * One HTTP(S) request with node:http(s), so that the TLS options (a pinned CA) apply to this
 * request only. Rejects on a network or TLS error, a timeout, an abort or an oversized answer;
 * any HTTP status resolves (the caller says what it means).
 */
export function sendHttp(req: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const bytes = (req.body ?? []).reduce((sum, b) => sum + b.length, 0);
    const options = {
      method: req.method,
      headers: {
        ...req.headers,
        ...(req.body !== undefined && { 'Content-Length': String(bytes) }),
      },
      timeout: req.timeoutMs,
      ...(req.signal !== undefined && { signal: req.signal }),
      ...(isHttps && tlsOptionsFor(req.caPem)),
    };
    const client = (isHttps ? httpsRequest : httpRequest)(req.url, options, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > req.maxBytes) {
          response.destroy(
            new Error(
              `The answer is larger than ${Math.round(req.maxBytes / 1e6)} MB: retrieve less at once.`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('aborted', () => reject(new Error('The connection was cut during the answer.')));
      response.on('end', () => {
        if (!response.complete) {
          reject(new Error('The connection was cut during the answer.'));
          return;
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        });
      });
    });
    client.on('timeout', () =>
      client.destroy(new Error(`No answer within ${Math.round(req.timeoutMs / 1000)} s.`)),
    );
    client.on('error', reject);
    for (const chunk of req.body ?? []) client.write(chunk);
    client.end();
  });
}
