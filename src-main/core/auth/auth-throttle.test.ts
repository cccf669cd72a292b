import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addUser,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

const PASSWORD = 'a long enough password';

describe('login throttling and lockout', () => {
  let t: TestCore;
  let adminToken: string;
  beforeEach(async () => {
    t = startTestCore();
    adminToken = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  /** Fails one login, waiting out any delay first; answers the error. */
  async function failOnce(username: string) {
    const error = await t.fail('auth.login', { username, password: 'not the password' });
    const wait = error.details?.['retryAfterSeconds'];
    if (typeof wait === 'number') {
      t.clock.advance(wait * 1000);
      return t.fail('auth.login', { username, password: 'not the password' });
    }
    return error;
  }

  it('makes the sixth attempt wait, with a growing delay, and says how long', async () => {
    await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    for (let i = 0; i < 5; i += 1) {
      expect((await failOnce('vera')).message).toBe('Wrong username or password.');
    }
    // Even the right password is refused during the wait, and no hashing is done for it.
    const waiting = await t.fail('auth.login', { username: 'vera', password: PASSWORD });
    expect(waiting).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Too many failed logins: wait 1 second before trying again.',
      details: { retryAfterSeconds: 1 },
    });
    t.clock.advance(1000);
    await t.fail('auth.login', { username: 'vera', password: 'wrong again' });
    expect((await t.fail('auth.login', { username: 'vera', password: PASSWORD })).details).toEqual({
      retryAfterSeconds: 2,
    });
    t.clock.advance(2000);
    // After the wait the right password works and clears the count.
    await t.ok('auth.login', { username: 'vera', password: PASSWORD });
    expect((await t.fail('auth.login', { username: 'vera', password: 'x' })).message).toBe(
      'Wrong username or password.',
    );
  });

  it('locks the account at twenty failures until an admin unlocks it, and audits it', async () => {
    const { user } = await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    let last = await failOnce('vera');
    for (let i = 1; i < 20; i += 1) last = await failOnce('vera');
    expect(last.message).toMatch(
      /^This account is locked after 20 failed logins\. An administrator can unlock it; otherwise it unlocks at 2024-03-0\dT/,
    );
    expect(last.details).toMatchObject({ locked: true });
    // An hour later the right password is still refused.
    t.clock.advance(60 * 60 * 1000);
    const refused = await t.fail('auth.login', { username: 'vera', password: PASSWORD });
    expect(refused.message).toMatch(/locked after 20 failed logins/);
    adminToken = (await t.ok('auth.login', { ...ADMIN })).token;
    const listed = (await t.ok('users.list', {}, adminToken)).find((u) => u.id === user.id);
    expect(listed?.lockedUntil).toEqual(expect.any(String));

    const actions = t.core.audit.list(500).map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login.failed')).toHaveLength(20);
    expect(actions).toContain('auth.lockout');
    expect(actions).toContain('auth.login.locked');

    const unlocked = await t.ok('users.update', { id: user.id, unlock: true }, adminToken);
    expect(unlocked.lockedUntil).toBeNull();
    await t.ok('auth.login', { username: 'vera', password: PASSWORD });
  });

  it('unlocks by itself once the lock time has passed', async () => {
    await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    for (let i = 0; i < 20; i += 1) await failOnce('vera');
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    await t.ok('auth.login', { username: 'vera', password: PASSWORD });
  });

  it('throttles an unknown username the same way, so a lock does not reveal who exists', async () => {
    let last = await failOnce('nobody');
    for (let i = 1; i < 20; i += 1) last = await failOnce('nobody');
    expect(last.message).toMatch(/^This account is locked after 20 failed logins/);
  });

  it('keeps one user’s failures from slowing another user down', async () => {
    await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    await addUser(t, adminToken, 'tomas', 'technologist', PASSWORD);
    for (let i = 0; i < 8; i += 1) await failOnce('vera');
    await t.ok('auth.login', { username: 'tomas', password: PASSWORD });
  });
});

describe('session lifetime', () => {
  let t: TestCore;
  beforeEach(() => {
    t = startTestCore({ idleTimeoutSeconds: 30 * 60, absoluteSessionSeconds: 2 * 60 * 60 });
  });
  afterEach(() => t.dispose());

  it('ends an active session at its absolute lifetime', async () => {
    const token = await setupAdmin(t);
    for (let minutes = 0; minutes < 115; minutes += 20) {
      t.clock.advance(20 * 60 * 1000);
      await t.ok('auth.whoami', {}, token);
    }
    t.clock.advance(10 * 60 * 1000);
    expect(await t.fail('auth.whoami', {}, token)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Sessions last at most 2 hours: log in again.',
    });
  });
});

describe('changing passwords', () => {
  let t: TestCore;
  let adminToken: string;
  beforeEach(async () => {
    t = startTestCore();
    adminToken = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('lets a user change their own password; other sessions end, this one stays', async () => {
    const { token } = await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    const other = await t.ok('auth.login', { username: 'vera', password: PASSWORD });
    await t.ok(
      'auth.changePassword',
      { currentPassword: PASSWORD, newPassword: 'tumour board friday' },
      token,
    );
    await t.ok('auth.whoami', {}, token);
    expect((await t.fail('auth.whoami', {}, other.token)).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('auth.login', { username: 'vera', password: PASSWORD })).code).toBe(
      'UNAUTHENTICATED',
    );
    await t.ok('auth.login', { username: 'vera', password: 'tumour board friday' });
    expect(t.core.audit.list().map((e) => e.action)).toContain('auth.password');
  });

  it('refuses a wrong current password and a new one the policy refuses', async () => {
    const { token } = await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    expect(
      await t.fail(
        'auth.changePassword',
        { currentPassword: 'wrong', newPassword: 'tumour board friday' },
        token,
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED', message: 'The current password is wrong.' });
    for (const [newPassword, reason] of [
      ['short', /at least 10 characters/],
      ['vera-is-my-name', /username/],
      ['Password123', /commonly used/],
      [PASSWORD, /must differ/],
    ] as const) {
      const error = await t.fail(
        'auth.changePassword',
        { currentPassword: PASSWORD, newPassword },
        token,
      );
      expect(error.code, newPassword).toBe('INVALID_INPUT');
      expect(error.message, newPassword).toMatch(reason);
    }
  });

  it('applies the policy when an admin creates an account or resets a password', async () => {
    const created = await t.fail(
      'users.create',
      { username: 'nina', password: 'password123', role: 'viewer' },
      adminToken,
    );
    expect(created.message).toMatch(/^Choose another password: .*commonly used/);
    const { user } = await addUser(t, adminToken, 'vera', 'viewer', PASSWORD);
    const reset = await t.fail(
      'users.update',
      { id: user.id, password: 'aaaaaaaaaaaa' },
      adminToken,
    );
    expect(reset.message).toMatch(/repeated or sequential/);
  });
});
