import type { ServerResponse } from 'node:http';

/**
 * The renderer needs nothing from other origins: scripts and styles are bundled, images come
 * from the app itself or are generated (data:, blob:), and the only connections are to this
 * server's API and event socket. The report preview shows the PDF the app fetched in a frame
 * from a blob: URL (frame-src), never a page from elsewhere. Inline styles stay allowed because React and cornerstone set
 * style attributes; inline scripts do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  // A voice caption's recording plays from a blob: URL the app fetched through the API.
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  'frame-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Set on every response, API included: a JSON error page must not be sniffed or framed either. */
export function applySecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
