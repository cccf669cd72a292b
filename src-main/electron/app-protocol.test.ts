import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from './app-protocol.js';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './policy.js';

describe('the app protocol handler', () => {
  let base: string;
  let root: string;
  let handler: (request: Request) => Promise<Response>;
  const get = (path: string, method = 'GET'): Promise<Response> =>
    handler(new Request(`${APP_ORIGIN}${path}`, { method }));

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'neurosphere-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Neurosphere</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    // A file next to the renderer folder that a traversal would try to reach.
    writeFileSync(join(base, 'secret.txt'), 'patient list');
    handler = createAppProtocolHandler({ rootDir: root });
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves index.html with the CSP and nosniff headers', async () => {
    const response = await get('/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Neurosphere</title>');
  });

  it('serves scripts as JavaScript', async () => {
    const response = await get('/assets/index-abc.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers client-side routes with index.html', async () => {
    const response = await get('/jobs');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Neurosphere');
  });

  it('answers HEAD without a body', async () => {
    const response = await get('/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses traversal and missing files with 404 and no path in the body', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/missing.js',
    ]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      const body = await response.text();
      expect(body).not.toContain('patient');
      expect(body).not.toContain(base);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await get('/index.html', 'POST');
    expect(response.status).toBe(405);
  });

  it('answers 500 without details when a file cannot be read', async () => {
    const failing = createAppProtocolHandler({
      rootDir: root,
      readFile: () =>
        Promise.reject(Object.assign(new Error('EACCES: /srv/x'), { code: 'EACCES' })),
    });
    const response = await failing(new Request(`${APP_ORIGIN}/index.html`));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('/srv/x');
  });
});
