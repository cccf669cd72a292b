import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../test-support/test-core.js';

describe('router', () => {
  let t: TestCore;
  let adminToken: string;
  beforeEach(async () => {
    t = startTestCore();
    adminToken = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('answers an unknown method with NOT_FOUND, including inherited object keys', async () => {
    for (const method of ['scans.explode', 'toString', '__proto__', 'constructor']) {
      const error = await t.fail(method, {}, adminToken);
      expect(error.code, method).toBe('NOT_FOUND');
    }
  });

  it('requires a valid session token for non-public methods', async () => {
    expect(await t.fail('scans.list', {})).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/no session token/),
    });
    expect((await t.fail('scans.list', {}, '')).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('scans.list', {}, 'forged-token')).code).toBe('UNAUTHENTICATED');
    expect(await t.ok('system.health', {})).toMatchObject({ status: 'healthy' });
  });

  it('rejects invalid input with INVALID_INPUT and the path of every issue', async () => {
    const error = await t.fail(
      'scans.list',
      { limit: 0, sort: 'size', from: '01/02/2024' },
      adminToken,
    );
    expect(error.code).toBe('INVALID_INPUT');
    const issues = (error.details?.['issues'] ?? []) as Array<{ path: string; message: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['from', 'limit', 'sort']);
    expect(error.message).toMatch(/^Invalid \w+: .*\(and 2 more\)$/);
    const nested = await t.fail('import.files', { paths: ['ok', ''] }, adminToken);
    expect(nested.details?.['issues']).toEqual([{ path: 'paths.1', message: expect.any(String) }]);
    const extra = await t.fail('patients.create', { name: 'X', ssn: '123' }, adminToken);
    expect(extra.code).toBe('INVALID_INPUT');
    expect(extra.message).toMatch(/ssn/);
  });

  it('lets a viewer read but not import, delete patients or manage users', async () => {
    const viewer = await addUser(t, adminToken, 'viewer', 'viewer');
    const patient = await t.ok('patients.create', { name: 'Doe, Jane' }, adminToken);
    const denied: Array<[string, unknown]> = [
      ['import.files', { paths: [t.inputDir] }],
      ['patients.delete', { id: patient.id }],
      ['users.create', { username: 'sneaky', password: 'a password', role: 'admin' }],
      ['users.list', {}],
    ];
    for (const [method, input] of denied) {
      const error = await t.fail(method, input, viewer.token);
      expect(error.code, method).toBe('PERMISSION_DENIED');
      expect(error.message).toMatch(/Your role \(viewer\) may not/);
    }
    expect(await t.ok('scans.list', {}, viewer.token)).toMatchObject({ total: 0, items: [] });
    expect((await t.ok('patients.get', { id: patient.id }, viewer.token)).name).toBe('Doe, Jane');
    const jobs = await t.ok('jobs.list', {}, adminToken);
    expect(jobs.total).toBe(0);
    expect((await t.ok('users.list', {}, adminToken)).map((u) => u.username)).toEqual([
      'admin',
      'viewer',
    ]);
  });

  it('turns an unexpected failure into INTERNAL with a reference and logs the stack', async () => {
    t.core.db.close(); // every query now throws a TypeError, as a broken disk would make it fail
    const error = await t.fail('auth.status', {});
    expect(error.code).toBe('INTERNAL');
    expect(error.correlationId).toEqual(expect.any(String));
    expect(error.message).toContain(error.correlationId);
    expect(error.message).not.toMatch(/at .*\.ts|TypeError|database connection/);
    expect(error.details).toBeUndefined();
    const logged = t.logger.entries.find((e) => e.fields['correlationId'] === error.correlationId);
    expect(logged).toMatchObject({ level: 'error', fields: { method: 'auth.status' } });
    expect(String((logged?.fields['error'] as Error).stack)).toMatch(
      /database connection is not open/,
    );
  });
});
