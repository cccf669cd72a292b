/**
 * The renderer's index.html carries the CSP as a meta tag (it applies in serve mode too, whatever
 * the server sends); the desktop app sends it as a header. This keeps the two the same policy.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './policy.js';

const html = readFileSync(
  fileURLToPath(new URL('../../src-renderer/index.html', import.meta.url)),
  'utf8',
);

function directives(policy: string): string[] {
  return policy
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter((d) => d !== '');
}

describe('the renderer CSP meta tag', () => {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);

  it('exists', () => {
    expect(meta?.[1]).toBeDefined();
  });

  it('equals the protocol header minus frame-ancestors (ignored in meta tags)', () => {
    const expected = directives(CONTENT_SECURITY_POLICY).filter(
      (d) => !d.startsWith('frame-ancestors'),
    );
    expect(directives(meta?.[1] ?? '')).toEqual(expected);
  });

  it('loads no remote script or style', () => {
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//i);
  });
});
