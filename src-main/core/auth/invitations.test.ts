import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

const PASSWORD = 'a long enough password';

describe('invitations: an administrator invites, the invitee registers once', () => {
  let t: TestCore;
  let admin: string;
  let patientId: string;

  beforeAll(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    patientId = (await t.ok('patients.create', { name: 'Invited, Ivy' }, admin)).id;
  });
  afterAll(() => t.dispose());

  const actions = () => t.core.audit.list(500).map((e) => e.action);

  it('registers with the short code, with the invitation’s role, and logs in', async () => {
    const issued = await t.ok('invitations.create', { role: 'technologist', note: 'Tom' }, admin);
    expect(issued.code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(issued.invitation).toMatchObject({ role: 'technologist', status: 'pending' });
    expect(Date.parse(issued.invitation.expiresAt) - t.clock.now().getTime()).toBe(72 * 3_600_000);
    // Case and spacing of a typed code do not matter.
    const typed = ` ${issued.code.toLowerCase().replace('-', ' ')} `;
    const user = await t.ok('auth.register', {
      invitation: typed,
      username: 'tom',
      password: PASSWORD,
    });
    expect(user).toMatchObject({ username: 'tom', role: 'technologist', patientId: null });
    const session = await t.ok('auth.login', { username: 'tom', password: PASSWORD });
    expect(session.user.role).toBe('technologist');
    const listed = (await t.ok('invitations.list', {}, admin)).find(
      (i) => i.id === issued.invitation.id,
    );
    expect(listed).toMatchObject({ status: 'used', usedBy: 'tom', createdBy: 'admin' });
    expect(actions()).toContain('auth.register');
    expect(actions()).toContain('invitations.create');
  });

  it('refuses a used invitation, and an unknown code, with messages that say what to do', async () => {
    const issued = await t.ok('invitations.create', { role: 'viewer' }, admin);
    await t.ok('auth.register', { invitation: issued.token, username: 'vic', password: PASSWORD });
    const again = await t.fail('auth.register', {
      invitation: issued.code,
      username: 'vic2',
      password: PASSWORD,
    });
    expect(again).toMatchObject({ code: 'CONFLICT', message: /already used/ });
    const unknown = await t.fail('auth.register', {
      invitation: 'ZZZZZ-ZZZZZ',
      username: 'mallory',
      password: PASSWORD,
    });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: /not valid/ });
    const refused = t.core.audit
      .list(500)
      .filter((e) => e.action === 'auth.register.refused')
      .map((e) => e.details?.['reason']);
    expect(refused).toEqual(expect.arrayContaining(['used', 'unknown']));
    expect((await t.fail('auth.login', { username: 'vic2', password: PASSWORD })).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses an expired or revoked invitation', async () => {
    const expiring = await t.ok('invitations.create', { role: 'viewer', expiresInHours: 1 }, admin);
    const revoked = await t.ok('invitations.create', { role: 'viewer' }, admin);
    expect((await t.ok('invitations.revoke', { id: revoked.invitation.id }, admin)).status).toBe(
      'revoked',
    );
    t.clock.advance(3_600_001);
    admin = (await t.ok('auth.login', ADMIN)).token;
    const late = await t.fail('auth.register', {
      invitation: expiring.code,
      username: 'late',
      password: PASSWORD,
    });
    expect(late).toMatchObject({ code: 'CONFLICT', message: /expired/ });
    const withdrawn = await t.fail('auth.register', {
      invitation: revoked.token,
      username: 'late',
      password: PASSWORD,
    });
    expect(withdrawn).toMatchObject({ code: 'CONFLICT', message: /withdrawn/ });
    const statuses = (await t.ok('invitations.list', {}, admin)).map((i) => [i.id, i.status]);
    expect(statuses).toContainEqual([expiring.invitation.id, 'expired']);
  });

  it('applies the password policy and keeps the invitation for another try', async () => {
    const issued = await t.ok('invitations.create', { role: 'annotator' }, admin);
    const weak = await t.fail('auth.register', {
      invitation: issued.code,
      username: 'anna',
      password: 'password123',
    });
    expect(weak).toMatchObject({ code: 'INVALID_INPUT', message: /Choose another password/ });
    const user = await t.ok('auth.register', {
      invitation: issued.code,
      username: 'anna',
      password: PASSWORD,
    });
    expect(user.role).toBe('annotator');
  });

  it('links a patient invitation to its patient record, and requires one', async () => {
    const unlinked = await t.fail('invitations.create', { role: 'patient' }, admin);
    expect(unlinked).toMatchObject({ code: 'INVALID_INPUT', message: /choose the patient/ });
    const issued = await t.ok('invitations.create', { role: 'patient', patientId }, admin);
    const user = await t.ok('auth.register', {
      invitation: issued.code,
      username: 'ivy',
      password: PASSWORD,
    });
    expect(user).toMatchObject({ role: 'patient', patientId });
  });

  it('throttles a client that guesses codes', async () => {
    const guesses: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const error = await t.fail('auth.register', {
        invitation: `GUESS-${i}`,
        username: 'guesser',
        password: PASSWORD,
      });
      guesses.push(error.message);
    }
    expect(guesses.at(-1)).toMatch(/Too many wrong invitation codes: wait/);
    expect(actions()).toContain('auth.register.throttled');
  });

  it('keeps invitations to the administrator', async () => {
    const { token } = await t.ok('auth.login', { username: 'tom', password: PASSWORD });
    expect((await t.fail('invitations.create', { role: 'admin' }, token)).code).toBe(
      'PERMISSION_DENIED',
    );
  });
});
