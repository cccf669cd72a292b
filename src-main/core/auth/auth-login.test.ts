import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addUser,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

describe('first-run setup', () => {
  let t: TestCore;
  beforeEach(() => {
    t = startTestCore();
  });
  afterEach(() => t.dispose());

  it('creates the first admin once and refuses a second setup', async () => {
    expect(await t.ok('auth.status', {})).toEqual({ needsSetup: true });
    const session = await t.ok('auth.setup', { ...ADMIN, displayName: 'Dr Admin' });
    expect(session.user).toMatchObject({
      username: 'admin',
      role: 'admin',
      displayName: 'Dr Admin',
    });
    expect(await t.ok('auth.status', {})).toEqual({ needsSetup: false });
    const again = await t.fail('auth.setup', {
      username: 'intruder',
      password: 'another password',
    });
    expect(again.code).toBe('CONFLICT');
    expect(
      await t.fail('auth.login', { username: 'intruder', password: 'another password' }),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('lets only one of two simultaneous setups create an admin', async () => {
    const results = await Promise.all([
      t.call('auth.setup', { username: 'first', password: 'opening password' }),
      t.call('auth.setup', { username: 'second', password: 'another good password' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'CONFLICT' } });
    const admin = results.find((r) => r.ok);
    const token = (admin?.ok === true && (admin.value as { token: string }).token) || '';
    expect(await t.ok('users.list', {}, token)).toHaveLength(1);
  });

  it('answers two simultaneous creations of the same username with CONFLICT', async () => {
    const token = await setupAdmin(t);
    const create = () =>
      t.call('users.create', { username: 'dup', password: 'a password', role: 'viewer' }, token);
    const results = await Promise.all([create(), create()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'CONFLICT' } });
  });
});

describe('login', () => {
  let t: TestCore;
  let adminToken: string;
  beforeEach(async () => {
    t = startTestCore();
    adminToken = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const wrongPassword = await t.fail('auth.login', {
      username: 'admin',
      password: 'not the password',
    });
    const unknownUser = await t.fail('auth.login', {
      username: 'nobody',
      password: 'not the password',
    });
    expect(wrongPassword).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Wrong username or password.',
    });
    expect(unknownUser).toEqual(wrongPassword);
  });

  it('accepts the username in any case and returns a working token', async () => {
    const session = await t.ok('auth.login', { username: 'ADMIN', password: ADMIN.password });
    expect(session.token).not.toBe(adminToken);
    expect((await t.ok('auth.whoami', {}, session.token)).user.username).toBe('admin');
  });

  it('refuses a disabled account and ends its open sessions', async () => {
    const { user, token } = await addUser(
      t,
      adminToken,
      'tech',
      'technologist',
      'scanner room four',
    );
    await t.ok('users.update', { id: user.id, disabled: true }, adminToken);
    expect(await t.fail('auth.whoami', {}, token)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const login = await t.fail('auth.login', { username: 'tech', password: 'scanner room four' });
    expect(login.code).toBe('UNAUTHENTICATED');
    expect(login.message).toMatch(/disabled/);
  });

  it('stores only an scrypt hash of the password', async () => {
    const row = t.core.db
      .prepare("SELECT password_hash FROM users WHERE username = 'admin'")
      .get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
    expect(row.password_hash).not.toContain(ADMIN.password);
  });

  it('records logins and failed logins in the audit log', async () => {
    await t.fail('auth.login', { username: 'admin', password: 'wrong password' });
    await t.ok('auth.login', { ...ADMIN });
    const actions = t.core.audit.list().map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['auth.login', 'auth.login.failed']);
    expect(t.core.audit.verify().issues).toEqual([]);
  });
});
