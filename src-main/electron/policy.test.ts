import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isBlockedRequestUrl,
  isTrustedSenderUrl,
  mimeTypeFor,
  resolveAppAsset,
} from './policy.js';

const UNTRUSTED_URLS = [
  'file:///opt/neurosphere/dist/renderer/index.html',
  'http://app/index.html',
  'https://app/index.html',
  'http://127.0.0.1:7878/',
  'about:blank',
  'devtools://devtools/bundled/inspector.html',
  'chrome-extension://abc/index.html',
  'data:text/html,<script>alert(1)</script>',
  'javascript:alert(1)',
  `${APP_SCHEME}://app.evil/index.html`,
  `${APP_SCHEME}://evil.app/index.html`,
  `${APP_SCHEME}://appx/index.html`,
  `${APP_SCHEME}://APP/index.html`,
  `${APP_SCHEME}://app./index.html`,
  `${APP_SCHEME}://%61pp/index.html`,
  `${APP_SCHEME}://app:8080/index.html`,
  `${APP_SCHEME}://evil@app/index.html`,
  `${APP_SCHEME}://app:secret@app/index.html`,
  `${APP_SCHEME}://app@evil/index.html`,
  `${APP_SCHEME}:app/index.html`,
  `${APP_SCHEME}:///app/index.html`,
  `${APP_SCHEME}x://app/index.html`,
  `${APP_SCHEME}://app\\evil/`,
  '',
  'not a url',
];

describe('isTrustedSenderUrl', () => {
  it('trusts the app origin with any path, query or hash', () => {
    expect(isTrustedSenderUrl(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSenderUrl(`${APP_SCHEME}://app`)).toBe(true);
    expect(isTrustedSenderUrl(`${APP_SCHEME}://app/`)).toBe(true);
    expect(isTrustedSenderUrl(`${APP_SCHEME}://app/index.html?x=1#/jobs`)).toBe(true);
  });

  it.each(UNTRUSTED_URLS)('refuses %s', (url) => {
    expect(isTrustedSenderUrl(url)).toBe(false);
  });

  it('refuses values that are not strings (a frame without a URL)', () => {
    expect(isTrustedSenderUrl(undefined)).toBe(false);
    expect(isTrustedSenderUrl(null)).toBe(false);
    expect(isTrustedSenderUrl(42)).toBe(false);
    expect(isTrustedSenderUrl({ toString: () => APP_ENTRY_URL })).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('allows navigation within the app only', () => {
    expect(isAllowedNavigation(`${APP_SCHEME}://app/index.html#/worklist`)).toBe(true);
    for (const url of UNTRUSTED_URLS) expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows nothing by default: the app is offline', () => {
    expect(isAllowedExternalUrl('https://example.org/')).toBe(false);
  });

  it('allows https links to an allowlisted origin only', () => {
    const allowlist = ['https://docs.neurosphere.example'];
    expect(isAllowedExternalUrl('https://docs.neurosphere.example/guide', allowlist)).toBe(true);
    expect(isAllowedExternalUrl('http://docs.neurosphere.example/guide', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.neurosphere.example.evil/', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/docs.neurosphere.example', allowlist)).toBe(
      false,
    );
    expect(isAllowedExternalUrl('https://docs.neurosphere.example:8443/', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('https://user@docs.neurosphere.example/', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', allowlist)).toBe(false);
    expect(isAllowedExternalUrl(undefined, allowlist)).toBe(false);
  });
});

describe('isBlockedRequestUrl', () => {
  it('blocks remote and local-file requests but not the app or inline data', () => {
    expect(isBlockedRequestUrl('https://cdn.example/lib.js')).toBe(true);
    expect(isBlockedRequestUrl('http://127.0.0.1/')).toBe(true);
    expect(isBlockedRequestUrl('wss://example/')).toBe(true);
    expect(isBlockedRequestUrl('file:///etc/passwd')).toBe(true);
    expect(isBlockedRequestUrl('garbage')).toBe(true);
    expect(isBlockedRequestUrl(APP_ENTRY_URL)).toBe(false);
    expect(isBlockedRequestUrl('data:image/png;base64,AAAA')).toBe(false);
    expect(isBlockedRequestUrl('blob:neurosphere-app://app/1234')).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it('allows only the app itself to run scripts and connect', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.get('script-src')).not.toContain('unsafe-inline');
  });
});

describe('resolveAppAsset', () => {
  const root = resolve('/opt/neurosphere/dist/renderer');
  const asset = (path: string): string | null =>
    resolveAppAsset(root, `${APP_SCHEME}://app${path}`);

  it('maps app URLs to files under the root', () => {
    expect(asset('/index.html')).toBe(join(root, 'index.html'));
    expect(asset('/assets/index-abc123.js')).toBe(join(root, 'assets', 'index-abc123.js'));
    expect(asset('/assets/index.js?v=1#x')).toBe(join(root, 'assets', 'index.js'));
  });

  it('serves index.html for the root and extension-less (client-side) routes', () => {
    expect(asset('')).toBe(join(root, 'index.html'));
    expect(asset('/')).toBe(join(root, 'index.html'));
    expect(asset('/worklist')).toBe(join(root, 'index.html'));
    expect(asset('/jobs/123')).toBe(join(root, 'index.html'));
  });

  it('decodes percent-encoding', () => {
    expect(asset('/assets/my%20file.png')).toBe(join(root, 'assets', 'my file.png'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/%2fetc%2fpasswd',
    '/C:%5CWindows%5Cwin.ini',
    '/assets/%00.js',
    '/assets/%E0%A4%A.js',
    '/.vite/manifest.json',
    '/assets/.env',
  ])('never leaves the root or serves hidden files: %s', (path) => {
    const resolved = asset(path);
    // URL parsing collapses literal and %2e dot segments at the root (`/../x` is `/x`), so
    // some of these resolve, but only ever to a file inside the root.
    if (resolved !== null) expect(resolved.startsWith(root + sep)).toBe(true);
  });

  it('refuses encoded separators, NUL, drive letters, bad encoding and hidden files outright', () => {
    expect(asset('/assets/..%2f..%2fsecret.txt')).toBeNull();
    expect(asset('/%2fetc%2fpasswd')).toBeNull();
    expect(asset('/assets/..%5c..%5csecret.txt')).toBeNull();
    expect(asset('/C:%5CWindows%5Cwin.ini')).toBeNull();
    expect(asset('/assets/%00.js')).toBeNull();
    expect(asset('/assets/%E0%A4%A.js')).toBeNull();
    expect(asset('/.vite/manifest.json')).toBeNull();
  });

  it('refuses other origins and schemes', () => {
    expect(resolveAppAsset(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppAsset(root, `${APP_SCHEME}://app.evil/index.html`)).toBeNull();
    expect(resolveAppAsset(root, `${APP_SCHEME}://evil@app/index.html`)).toBeNull();
    expect(resolveAppAsset(root, 'https://app/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'not a url')).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it('names the types the renderer build produces', () => {
    expect(mimeTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/assets/index-abc.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/x/logo.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('/x/model.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/x/font.woff2')).toBe('font/woff2');
  });

  it('serves unknown types as opaque bytes', () => {
    expect(mimeTypeFor('/x/file.xyz')).toBe('application/octet-stream');
    expect(mimeTypeFor('/x/noextension')).toBe('application/octet-stream');
  });
});
