/**
 * The decoded path of a request, or undefined if it must be refused: malformed percent
 * encoding, NUL bytes, backslashes, or a `..` segment in any spelling (`..`, `%2e%2e`,
 * `%2E.`). The raw request target is used on purpose: WHATWG URL parsing would quietly
 * resolve the dots and hide the attempt.
 */
export function safeRequestPath(rawUrl: string | undefined): string | undefined {
  if (rawUrl === undefined || !rawUrl.startsWith('/')) return undefined;
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..')) return undefined;
  return decoded;
}
