import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/errors.js';
import { createCore, type Core } from '../core/core.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { createRpcListener, handleRpc } from './ipc-router.js';
import { APP_ENTRY_URL } from './policy.js';
import { TEST_AUDIT_KEY } from '../test-support/test-audit-key.js';

const TRUSTED = `${APP_ENTRY_URL}#/worklist`;

function errorCodeOf(result: Result<unknown>): string | null {
  return result.ok ? null : result.error.code;
}

describe('handleRpc with a real core', () => {
  let dir: string;
  let core: Core;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'neurosphere-ipc-'));
    core = createCore({
      auditKey: TEST_AUDIT_KEY,
      dataDir: dir,
      kdf: TEST_KDF,
      logger: memoryLogger(),
      modelsDir: join(dir, 'models'),
      validateOutput: true,
    });
  });

  afterEach(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the app window call a public method', async () => {
    const result = await handleRpc(core.router, TRUSTED, 'auth.status', {}, null);
    expect(result).toEqual({ ok: true, value: { needsSetup: true } });
  });

  it.each([
    ['a file:// page', 'file:///tmp/index.html'],
    ['a remote page', 'https://evil.example/'],
    ['a lookalike host', 'neurosphere-app://app.evil/index.html'],
    ['a blank frame', 'about:blank'],
    ['a frame without a URL', undefined],
    ['a destroyed frame', null],
  ])('refuses %s before the core sees the call', async (_label, senderUrl) => {
    const result = await handleRpc(
      core.router,
      senderUrl,
      'auth.setup',
      { username: 'mallory', password: 'correct horse battery' },
      null,
    );
    expect(errorCodeOf(result)).toBe('PERMISSION_DENIED');
    // The setup really did not happen: the first-run state is unchanged.
    expect(core.auth.needsSetup()).toBe(true);
  });

  it('answers NOT_FOUND for a method the contract does not have', async () => {
    const result = await handleRpc(core.router, TRUSTED, 'system.shutdown', {}, null);
    expect(errorCodeOf(result)).toBe('NOT_FOUND');
  });

  it.each([42, null, undefined, { name: 'auth.status' }, '', 'x'.repeat(500)])(
    'refuses the method name %j',
    async (method) => {
      const result = await handleRpc(core.router, TRUSTED, method, {}, null);
      expect(errorCodeOf(result)).toBe('INVALID_INPUT');
    },
  );

  it('passes input validation errors through as data', async () => {
    const result = await handleRpc(
      core.router,
      TRUSTED,
      'auth.setup',
      { username: 'a', password: 'short' },
      null,
    );
    expect(errorCodeOf(result)).toBe('INVALID_INPUT');
  });

  it('authenticates with the session token and records the client as electron', async () => {
    const setup = await handleRpc(
      core.router,
      TRUSTED,
      'auth.setup',
      { username: 'admin', password: 'correct horse battery' },
      null,
    );
    if (!setup.ok) throw new Error(setup.error.message);
    const { token } = setup.value as { token: string };

    const whoami = await handleRpc(core.router, TRUSTED, 'auth.whoami', {}, token);
    expect(whoami.ok && (whoami.value as { user: { username: string } }).user.username).toBe(
      'admin',
    );
    const client = core.db.prepare('SELECT client FROM sessions').pluck().get();
    expect(client).toBe('electron');

    expect(errorCodeOf(await handleRpc(core.router, TRUSTED, 'auth.whoami', {}, null))).toBe(
      'UNAUTHENTICATED',
    );
    // A token of the wrong type counts as no token, not as a crash.
    expect(errorCodeOf(await handleRpc(core.router, TRUSTED, 'auth.whoami', {}, { token }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('createRpcListener reads the sender from the event frame', async () => {
    const listener = createRpcListener(core.router);
    const trusted = await listener({ senderFrame: { url: TRUSTED } }, 'auth.status', {}, null);
    expect(trusted.ok).toBe(true);
    const noFrame = await listener({ senderFrame: null }, 'auth.status', {}, null);
    expect(errorCodeOf(noFrame)).toBe('PERMISSION_DENIED');
  });
});

describe('handleRpc with a broken router', () => {
  it('never lets a thrown error (and its stack) through to the renderer', async () => {
    const router = {
      call: () => Promise.reject(new Error('secret stack detail at /home/user/db.ts:12')),
    };
    const result = await handleRpc(router, TRUSTED, 'auth.status', {}, null);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(errorCodeOf(result)).toBe('INTERNAL');
  });
});
