/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security), item by item,
 * tested without the Electron binary: through the modules main.ts composes (window options,
 * session and web-contents policies, the protocol and CSP), the builder configuration (fuses),
 * and, where the only evidence is one call in main.ts, that call in its source. The numbers are
 * the checklist's; docs/electron-security.md says where each is enforced.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  EXTERNAL_URL_ALLOWLIST,
  isAllowedExternalUrl,
  isTrustedSenderUrl,
} from './policy.js';
import { hardenSession, type HardenableSession } from './session-policy.js';
import { hardenWebContents, type HardenableContents } from './web-security.js';
import { buildWindowOptions } from './window-options.js';

const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const mainSource = readFileSync(repoFile('src-main/electron/main.ts'), 'utf8');
const preferences = buildWindowOptions({ preloadPath: '/app/preload.cjs', isPackaged: true })
  .webPreferences as Record<string, unknown>;

/** Records what hardenSession installs on a session. */
function fakeSession() {
  const installed: {
    request?: Parameters<HardenableSession['setPermissionRequestHandler']>[0];
    check?: Parameters<HardenableSession['setPermissionCheckHandler']>[0];
    device?: () => boolean;
    beforeRequest?: Parameters<HardenableSession['webRequest']['onBeforeRequest']>[0];
  } = {};
  const ses: HardenableSession = {
    setPermissionRequestHandler: (handler) => (installed.request = handler),
    setPermissionCheckHandler: (handler) => (installed.check = handler),
    setDevicePermissionHandler: (handler) => (installed.device = handler),
    webRequest: { onBeforeRequest: (listener) => (installed.beforeRequest = listener) },
  };
  hardenSession(ses);
  return installed;
}

function cancels(url: string): boolean {
  let cancel: boolean | undefined;
  fakeSession().beforeRequest?.({ url }, (response) => (cancel = response.cancel));
  if (cancel === undefined) throw new Error('no request listener');
  return cancel;
}

describe('Electron security checklist', () => {
  it('1. only secure content: the app comes from its own protocol, nothing remote loads', () => {
    expect(APP_ENTRY_URL.startsWith(`${APP_SCHEME}://`)).toBe(true);
    expect(mainSource).toContain('window.loadURL(APP_ENTRY_URL)');
    for (const url of ['http://example.com/x.js', 'https://example.com/', 'ws://10.0.0.1/']) {
      expect(cancels(url), url).toBe(true);
    }
    expect(cancels(APP_ENTRY_URL)).toBe(false);
  });

  it('2. no Node.js integration in any renderer, worker or subframe', () => {
    expect(preferences).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('3. context isolation', () => {
    expect(preferences['contextIsolation']).toBe(true);
  });

  it('4. process sandboxing, for every renderer', () => {
    expect(preferences['sandbox']).toBe(true);
    expect(mainSource).toContain('app.enableSandbox();');
  });

  it('5. permission requests and checks from web content are refused, but the microphone for the app itself', () => {
    const installed = fakeSession();
    const appPage = `${APP_ENTRY_URL}#/dental/cases/1`;
    const request = (
      permission: string,
      details?: { mediaTypes?: string[]; requestingUrl?: string },
    ) => {
      let granted: boolean | undefined;
      installed.request?.(null, permission, (answer) => (granted = answer), details);
      return granted;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'hid']) {
      expect(request(permission), permission).toBe(false);
      expect(request(permission, { requestingUrl: 'https://example.com/' }), permission).toBe(
        false,
      );
    }
    // Voice captions record audio from the app's own page: that, and only that, is granted.
    expect(request('media', { mediaTypes: ['audio'], requestingUrl: appPage })).toBe(true);
    expect(request('media', { mediaTypes: ['video'], requestingUrl: appPage })).toBe(false);
    expect(request('media', { mediaTypes: ['audio', 'video'], requestingUrl: appPage })).toBe(
      false,
    );
    expect(request('media', { mediaTypes: [], requestingUrl: appPage })).toBe(false);
    expect(request('media', { mediaTypes: ['audio'], requestingUrl: 'https://example.com/' })).toBe(
      false,
    );
    expect(request('geolocation', { mediaTypes: ['audio'], requestingUrl: appPage })).toBe(false);
    const origin = `${APP_SCHEME}://app`;
    expect(installed.check?.(null, 'media', origin, { mediaType: 'audio' })).toBe(true);
    expect(installed.check?.(null, 'media', origin, { mediaType: 'video' })).toBe(false);
    expect(installed.check?.(null, 'media', 'https://example.com', { mediaType: 'audio' })).toBe(
      false,
    );
    expect(installed.check?.(null, 'notifications', origin, {})).toBe(false);
    expect(installed.device?.()).toBe(false);
    expect(mainSource).toContain('hardenSession(session.defaultSession)');
  });

  it('6. webSecurity stays on', () => {
    expect(preferences['webSecurity']).toBe(true);
  });

  it('7. a Content Security Policy: scripts only from the app, no eval, no plug-ins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('8.-10. no insecure content, no experimental features, no Blink features', () => {
    expect(preferences['allowRunningInsecureContent']).toBe(false);
    expect(preferences['experimentalFeatures']).toBe(false);
    expect(preferences['enableBlinkFeatures']).toBeUndefined();
    expect(mainSource).not.toMatch(/enableBlinkFeatures|enable-blink-features/);
  });

  it('11.-12. no <webview>: the tag is off and any attach is prevented', () => {
    expect(preferences['webviewTag']).toBe(false);
    let isPrevented = false;
    const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
    const contents = {
      on: (event: string, listener: (e: { url?: string; preventDefault(): void }) => void) =>
        listeners.set(event, listener),
      setWindowOpenHandler: () => undefined,
    } as unknown as HardenableContents;
    hardenWebContents(contents, { openExternal: () => Promise.resolve() });
    listeners.get('will-attach-webview')?.({ preventDefault: () => (isPrevented = true) });
    expect(isPrevented).toBe(true);
  });

  it('13.-15. navigation stays in the app, no new windows, openExternal only for an allowlist', () => {
    const listeners = new Map<string, (details: { url: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    const opened: string[] = [];
    const contents: HardenableContents = {
      on: (event: string, listener: (details: { url: string; preventDefault(): void }) => void) =>
        listeners.set(event, listener),
      setWindowOpenHandler: (handler) => (openHandler = handler),
    };
    hardenWebContents(contents, {
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      let isPrevented = false;
      listeners.get(event)?.({
        url: 'https://evil.example/',
        preventDefault: () => (isPrevented = true),
      });
      expect(isPrevented, event).toBe(true);
    }
    expect(openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // Offline by design: no origin may be opened in the system browser.
    expect(EXTERNAL_URL_ALLOWLIST).toEqual([]);
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(opened).toEqual([]);
    // Hardening is installed on every web contents Electron creates, not only the main window.
    expect(mainSource).toMatch(/app\.on\('web-contents-created',[\s\S]*?hardenWebContents\(/);
  });

  it('16. a current Electron: the installed major is the one package.json asks for', () => {
    const pkg = JSON.parse(readFileSync(repoFile('package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const installed = JSON.parse(
      readFileSync(repoFile('node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    const wanted = /^\^?(\d+)\./.exec(pkg.devDependencies['electron'] ?? '')?.[1];
    expect(installed.version.split('.')[0]).toBe(wanted);
    // 45 was the newest stable line when this was written (2026-12); bump both together.
    expect(Number(wanted)).toBeGreaterThanOrEqual(45);
  });

  it('17. IPC answers only the app’s own frames', () => {
    expect(isTrustedSenderUrl(APP_ENTRY_URL)).toBe(true);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', undefined, '']) {
      expect(isTrustedSenderUrl(url), String(url)).toBe(false);
    }
  });

  it('18. a custom protocol instead of file://, with no CSP bypass', () => {
    expect(cancels('file:///etc/passwd')).toBe(true);
    expect(mainSource).not.toMatch(/loadFile\(|['"`]file:\/\//);
    const registration = /registerSchemesAsPrivileged\(\[([\s\S]*?)\]\)/.exec(mainSource)?.[1];
    expect(registration).toContain('scheme: APP_SCHEME');
    expect(registration).not.toMatch(/bypassCSP|allowServiceWorkers|corsEnabled/);
  });

  it('19. fuses: no run-as-Node, no NODE_OPTIONS or --inspect, asar only and checked, cookies encrypted', () => {
    const config = load(readFileSync(repoFile('electron-builder.yml'), 'utf8')) as {
      electronFuses: Record<string, boolean>;
    };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('20. no Electron API reaches the page: the preload exposes one contract object', () => {
    const preload = readFileSync(repoFile('src-main/electron/preload.cts'), 'utf8');
    const exposed = [...preload.matchAll(/exposeInMainWorld\(\s*'([^']+)'/g)].map((m) => m[1]);
    expect(exposed).toEqual(['neurosphere']);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});
