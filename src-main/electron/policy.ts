/**
 * The Electron shell's security decisions as pure functions, so that they are unit-tested even
 * though Electron cannot run in CI. main.ts only wires these into Electron's hooks.
 */
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The custom protocol the app is served from: never file://, never http(s)://. */
export const APP_SCHEME = 'neurosphere-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a header by the protocol handler. The renderer's index.html carries the same policy
 * as a meta tag, minus `frame-ancestors`, which browsers ignore (with a warning) in meta tags.
 * 'unsafe-inline' styles: React's `style` props; scripts stay 'self' only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // A voice caption's recording plays from a blob: URL the renderer fetched through the API.
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  // The report preview: a PDF the renderer fetched through the API, framed from a blob: URL.
  'frame-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers added to every response of the app protocol. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/**
 * Origins (scheme://host[:port]) that links may open in the system browser. Empty: the app is
 * offline by design; a documentation site can be added here once one exists.
 */
export const EXTERNAL_URL_ALLOWLIST: readonly string[] = [];

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Compares the parts, not `URL.origin`: WHATWG gives custom schemes the opaque origin "null",
 * so every custom-scheme URL would share one origin. Userinfo, ports and lookalike hosts
 * (`app.evil`, `APP`, `app.`, `%61pp`) are all refused.
 */
function isAppOrigin(url: URL): boolean {
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** Whether an IPC message comes from a frame showing the app itself. */
export function isTrustedSenderUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && isAppOrigin(parsed);
}

/** Navigation is allowed only within the app (the renderer routes with the hash). */
export function isAllowedNavigation(url: unknown): boolean {
  return isTrustedSenderUrl(url);
}

/** Whether a link may be handed to `shell.openExternal`: https and an allowlisted origin only. */
export function isAllowedExternalUrl(
  url: unknown,
  allowlist: readonly string[] = EXTERNAL_URL_ALLOWLIST,
): boolean {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return allowlist.includes(parsed.origin);
}

/** Schemes a renderer request may never reach: the app is offline and shows no local files. */
const BLOCKED_REQUEST_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/** Defence in depth behind the CSP: requests the session cancels before they leave. */
export function isBlockedRequestUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return parsed === null || BLOCKED_REQUEST_SCHEMES.has(parsed.protocol);
}

/** Content-Type by extension: the same table serve mode uses for the same renderer files. */
export { mimeTypeFor } from '../serve/mime-types.js';

/**
 * Decodes one path segment. Refuses anything that could change the directory structure once
 * decoded (`%2F`, `%5C`, `%2e%2e`), NUL, drive letters (`C:`) and hidden files.
 */
function decodeSegment(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded === '' || decoded.startsWith('.')) return null;
  if (/[/\\:\0]/.test(decoded)) return null;
  return decoded;
}

/**
 * Maps `neurosphere-app://app/<path>` to a file under `rootDir` (dist/renderer), or null.
 * Extension-less paths fall back to index.html so the single-page app owns its routes.
 * The result is re-checked to lie inside rootDir, whatever the decoding did.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): string | null {
  const url = parseUrl(requestUrl);
  if (url === null || !isAppOrigin(url)) return null;
  const rawSegments = url.pathname.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    const decoded = decodeSegment(raw);
    if (decoded === null) return null;
    segments.push(decoded);
  }
  const last = segments.at(-1);
  const relativePath =
    last === undefined || extname(last) === '' ? 'index.html' : join(...segments);
  const root = resolve(rootDir);
  const file = resolve(root, relativePath);
  const rel = relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return file;
}
