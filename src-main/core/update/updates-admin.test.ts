import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { nextOnlineState, ONLINE_IDLE } from './online-update-state.js';
import { packUpdateBundle } from './update-bundle.js';
import { validateFeedUrl } from './update-feed.js';

function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const installerName =
  process.platform === 'win32'
    ? 'Neurosphere-Setup-9.0.0.exe'
    : process.platform === 'darwin'
      ? 'Neurosphere-9.0.0.dmg'
      : 'Neurosphere-9.0.0.AppImage';

describe('offline updates from the admin screen (updates.bundle.*)', () => {
  const release = keyPair();
  let t: TestCore;
  let token: string;
  let bundleDir: string;

  beforeEach(async () => {
    t = startTestCore({ updatePublicKeyPem: release.publicKeyPem });
    token = await setupAdmin(t);
    const installer = join(t.inputDir, installerName);
    writeFileSync(installer, Buffer.alloc(8 * 1024 * 1024, 3));
    bundleDir = join(t.inputDir, 'bundle');
    await packUpdateBundle({
      installer,
      version: '9.0.0',
      privateKeyPem: release.privateKeyPem,
      outDir: bundleDir,
      now: () => new Date('2026-12-03T08:00:00.000Z'),
    });
  });
  afterEach(() => t.dispose());

  const source = () => ({ kind: 'server-path' as const, path: bundleDir });

  it('verifies a genuine bundle, then stages its installer with progress and says what runs next', async () => {
    const info = await t.ok('updates.bundle.verify', { source: source() }, token);
    expect(info).toMatchObject({
      version: '9.0.0',
      installerFile: installerName,
      size: 8 * 1024 * 1024,
    });

    const started = await t.ok('updates.bundle.apply', { source: source() }, token);
    expect(started.phase).toBe('applying');
    await t.core.updates.whenIdle();
    const done = await t.ok('updates.bundle.status', {}, token);
    expect(done.phase).toBe('staged');
    expect(done.doneBytes).toBe(done.totalBytes);
    expect(done.totalBytes).toBe(2 * 8 * 1024 * 1024);
    expect(done.stagedInstaller).toBe(join(t.core.dataDir, 'updates', '9.0.0', installerName));
    expect(existsSync(done.stagedInstaller ?? '')).toBe(true);
    expect(done.nextSteps[0]).toMatch(/^Close Neurosphere/);
  });

  it('refuses a tampered bundle with the reason, and stages nothing', async () => {
    const manifest = join(bundleDir, 'update.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('9.0.0', '9.0.1'));
    const refused = await t.call('updates.bundle.verify', { source: source() }, token);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('INVALID_INPUT');
      expect(refused.error.message).toContain('its signature is not valid');
      expect(refused.error.message).toContain('Nothing was installed.');
    }
    await t.ok('updates.bundle.apply', { source: source() }, token);
    await t.core.updates.whenIdle();
    const status = await t.ok('updates.bundle.status', {}, token);
    expect(status.phase).toBe('failed');
    expect(status.message).toContain('its signature is not valid');
    expect(existsSync(join(t.core.dataDir, 'updates'))).toBe(false);
  });

  it('cancels while the installer is copied, and removes the partial copy', async () => {
    await t.ok('updates.bundle.apply', { source: source() }, token);
    const cancelled = await t.ok('updates.bundle.cancel', {}, token);
    expect(cancelled.phase).toBe('applying');
    await t.core.updates.whenIdle();
    const status = await t.ok('updates.bundle.status', {}, token);
    expect(status.phase).toBe('cancelled');
    expect(existsSync(join(t.core.dataDir, 'updates', '9.0.0', installerName))).toBe(false);
    const again = await t.call('updates.bundle.cancel', {}, token);
    expect(again.ok).toBe(false);
  });

  it('over HTTP reads a server folder only inside the import allow-list', async () => {
    const refused = await t.core.router.call(
      'updates.bundle.verify',
      { source: source() },
      { transport: 'http', token },
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('outside the server folders');
  });

  it('keeps the feed address only when it is https, and says why otherwise', async () => {
    const saved = await t.ok(
      'updates.feed.set',
      { url: 'https://updates.clinic.example/ns' },
      token,
    );
    expect(saved.url).toBe('https://updates.clinic.example/ns/');
    expect((await t.ok('updates.feed.get', {}, token)).url).toBe(saved.url);
    const refused = await t.call(
      'updates.feed.set',
      { url: 'http://updates.clinic.example/' },
      token,
    );
    expect(refused.ok).toBe(false);
    // serve mode and tests bring no electron-updater: the desktop app only.
    const online = await t.ok('updates.online.status', {}, token);
    expect(online).toMatchObject({ isAvailable: false, state: 'idle', feedUrl: saved.url });
    const check = await t.call('updates.online.check', {}, token);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error.message).toContain('desktop app');
  });
});

describe('the update server address', () => {
  it('refuses what electron-updater should not be pointed at', () => {
    expect(validateFeedUrl('')).toBe('');
    expect(validateFeedUrl(' https://u.example/a/ ')).toBe('https://u.example/a/');
    expect(() => validateFeedUrl('updates.example')).toThrow('not a web address');
    expect(() => validateFeedUrl('ftp://u.example/')).toThrow('https://');
    expect(() => validateFeedUrl('https://me:pw@u.example/')).toThrow('password');
    expect(() => validateFeedUrl('https://u.example/?x=1')).toThrow('without');
  });
});

describe('the connected update state machine', () => {
  it('moves on only through check, download and install, in that order', () => {
    let s = nextOnlineState(ONLINE_IDLE, { type: 'check' });
    expect(s.state).toBe('checking');
    expect(() => nextOnlineState(s, { type: 'check' })).toThrow('already checking');
    s = nextOnlineState(s, { type: 'checked', version: '9.0.0' });
    expect(s).toMatchObject({ state: 'available', version: '9.0.0' });
    expect(() => nextOnlineState(s, { type: 'install' })).toThrow('Download the update first');
    s = nextOnlineState(s, { type: 'download' });
    s = nextOnlineState(s, { type: 'progress', percent: 42.5 });
    expect(s).toMatchObject({ state: 'downloading', percent: 42.5 });
    s = nextOnlineState(s, { type: 'downloaded' });
    expect(() => nextOnlineState(s, { type: 'download' })).toThrow('already downloaded');
    expect(nextOnlineState(s, { type: 'install' }).state).toBe('installing');
  });

  it('says when there is nothing newer, and keeps a failure with its reason', () => {
    const checking = nextOnlineState(ONLINE_IDLE, { type: 'check' });
    expect(nextOnlineState(checking, { type: 'checked', version: null }).state).toBe('up-to-date');
    expect(() => nextOnlineState(ONLINE_IDLE, { type: 'download' })).toThrow(
      'Check for updates first',
    );
    const failed = nextOnlineState(checking, { type: 'failed', message: 'offline' });
    expect(failed).toMatchObject({ state: 'failed', message: 'offline' });
    expect(nextOnlineState(failed, { type: 'check' }).state).toBe('checking');
  });
});
