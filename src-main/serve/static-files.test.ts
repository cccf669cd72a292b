import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { INDEX_HTML, startTestServer, type TestServer } from './testing/test-server.js';

let ctx: TestServer;

beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx.cleanup();
});

/** Sends the path exactly as written: fetch would normalise `..` and `%2e%2e` away. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: ctx.server.host, port: ctx.server.port, path, method: 'GET' },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('serve: static renderer', () => {
  it('serves index.html with a strict CSP and security headers', async () => {
    const response = await fetch(`${ctx.server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(INDEX_HTML);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves assets with their MIME type and a long cache life', async () => {
    const response = await fetch(`${ctx.server.url}/assets/app-1234.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('falls back to index.html for app routes, not for missing files', async () => {
    const route = await fetch(`${ctx.server.url}/patients/123/scans`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX_HTML);
    const missing = await fetch(`${ctx.server.url}/assets/missing.js`);
    expect(missing.status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/../package.json',
    '/%2e%2e/secret.txt',
    '/%2E%2e/%2e%2e/package.json',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    '/%00index.html',
  ])('refuses the traversal attempt %s', async (path) => {
    const response = await rawGet(path);
    expect(response.status).toBe(400);
    expect(response.body).not.toContain('TOP SECRET');
    expect(response.body).not.toContain('"name"');
  });

  it('does not serve dot files', async () => {
    const response = await rawGet('/.env');
    expect(response.status).toBe(404);
  });
});

describe('serve: without a renderer build', () => {
  let bare: TestServer;
  beforeAll(async () => {
    bare = await startTestServer({ staticDir: join('/nonexistent', 'renderer') });
  });
  afterAll(async () => {
    await bare.cleanup();
  });

  it('answers 503 with a page that says to run npm run build; the API still works', async () => {
    const page = await fetch(`${bare.server.url}/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
    const health = await fetch(`${bare.server.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
