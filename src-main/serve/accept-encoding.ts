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
