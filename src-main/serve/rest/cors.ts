import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Requested-With';

/**
 * CORS for the REST API: only origins on the site's allow-list (empty by default, so no other
 * web page can call the API from a browser). Bearer tokens travel in a header, never in
 * cookies, so credentials are not allowed. Returns true when the request was a preflight and
 * has been answered.
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowList: readonly string[],
): boolean {
  const origin = req.headers.origin;
  const isAllowed = origin !== undefined && allowList.includes(origin);
  if (isAllowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Content-Disposition');
    // The API's answers may be read by the allowed origin's pages.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (isAllowed) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(isAllowed ? 204 : 403, { 'Content-Length': 0 });
  res.end();
  return true;
}
