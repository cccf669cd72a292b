import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addUser,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

const MINUTE = 60_000;

describe('sessions', () => {
  let t: TestCore;
  let adminToken: string;
  beforeEach(async () => {
    t = startTestCore({ idleTimeoutSeconds: 15 * 60 });
    adminToken = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('ends a session idle for longer than the timeout', async () => {
    t.clock.advance(15 * MINUTE);
    await t.ok('auth.whoami', {}, adminToken);
    t.clock.advance(15 * MINUTE + 1000);
    const error = await t.fail('auth.whoami', {}, adminToken);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/15 minutes without activity/);
    // The session is gone, not just refused once.
    t.clock.advance(-30 * MINUTE);
    expect((await t.fail('auth.whoami', {}, adminToken)).code).toBe('UNAUTHENTICATED');
  });

  it('keeps an active session alive past the timeout', async () => {
    for (let i = 0; i < 4; i++) {
      t.clock.advance(10 * MINUTE);
      await t.ok('scans.list', {}, adminToken);
    }
    expect((await t.ok('auth.whoami', {}, adminToken)).user.username).toBe('admin');
  });

  it('does not let a background session check (an open event socket) keep an idle session alive', async () => {
    t.clock.advance(10 * MINUTE);
    expect(t.core.auth.authenticate(adminToken, { touch: false }).kind).toBe('user');
    // 20 minutes since the last real activity: a touching check at 10 would have reset this.
    t.clock.advance(10 * MINUTE);
    const error = await t.fail('auth.whoami', {}, adminToken);
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('ends the session at logout, leaving other sessions of the user open', async () => {
    const other = await t.ok('auth.login', { ...ADMIN });
    expect(await t.ok('auth.logout', {}, adminToken)).toEqual({ loggedOut: true });
    expect((await t.fail('auth.whoami', {}, adminToken)).code).toBe('UNAUTHENTICATED');
    await t.ok('auth.whoami', {}, other.token);
  });

  it('ends every session of a user whose password changed; the new password works', async () => {
    const { user, token } = await addUser(t, adminToken, 'rad', 'radiologist', 'old password');
    await t.ok('users.update', { id: user.id, password: 'new password' }, adminToken);
    expect((await t.fail('scans.list', {}, token)).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('auth.login', { username: 'rad', password: 'old password' })).code).toBe(
      'UNAUTHENTICATED',
    );
    await t.ok('auth.login', { username: 'rad', password: 'new password' });
    await t.ok('auth.whoami', {}, adminToken);
  });

  it('applies a role change to open sessions at once', async () => {
    const { user, token } = await addUser(t, adminToken, 'tech', 'technologist');
    await t.ok('users.update', { id: user.id, role: 'viewer' }, adminToken);
    expect((await t.fail('import.files', { paths: [t.inputDir] }, token)).code).toBe(
      'PERMISSION_DENIED',
    );
  });
});

describe('the last administrator', () => {
  let t: TestCore;
  let adminToken: string;
  let adminId: string;
  beforeEach(async () => {
    t = startTestCore();
    adminToken = await setupAdmin(t);
    adminId = (await t.ok('auth.whoami', {}, adminToken)).user.id;
  });
  afterEach(() => t.dispose());

  it('cannot be demoted or disabled', async () => {
    for (const change of [{ role: 'radiologist' as const }, { disabled: true }]) {
      const error = await t.fail('users.update', { id: adminId, ...change }, adminToken);
      expect(error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/last active administrator/),
      });
    }
    expect((await t.ok('auth.whoami', {}, adminToken)).user).toMatchObject({
      role: 'admin',
      disabled: false,
    });
  });

  it('can step down once another active admin exists, but a disabled admin does not count', async () => {
    const second = await addUser(t, adminToken, 'admin2', 'admin');
    await t.ok('users.update', { id: second.user.id, disabled: true }, adminToken);
    expect((await t.fail('users.update', { id: adminId, role: 'viewer' }, adminToken)).code).toBe(
      'CONFLICT',
    );
    await t.ok('users.update', { id: second.user.id, disabled: false }, adminToken);
    const demoted = await t.ok('users.update', { id: adminId, role: 'viewer' }, adminToken);
    expect(demoted.role).toBe('viewer');
  });
});
