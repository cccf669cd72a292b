import { afterEach, describe, expect, it } from 'vitest';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('the first-run wizard (firstRun.*)', () => {
  let t: TestCore;
  afterEach(() => t.dispose());

  it('is pending after setup, shows the data folder and admin, and is finished once', async () => {
    t = startTestCore({ dataDirOrigin: 'flag' });
    const admin = await setupAdmin(t);
    const before = await t.ok('firstRun.status', {}, admin);
    expect(before).toMatchObject({
      isComplete: false,
      dataDir: t.core.dataDir,
      dataDirOrigin: 'flag',
      adminUsername: 'admin',
      skipped: [],
    });

    const refused = await t.call('firstRun.complete', { skipped: ['admin-account'] }, admin);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.message).toContain('"Administrator account" cannot be skipped');

    const done = await t.ok('firstRun.complete', { skipped: ['gpu'] }, admin);
    expect(done).toMatchObject({ isComplete: true, completedBy: 'admin', skipped: ['gpu'] });
    expect((await t.ok('firstRun.status', {}, admin)).isComplete).toBe(true);
    const audit = t.core.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'firstRun.complete'")
      .all() as Array<{ actor: string }>;
    expect(audit).toEqual([{ actor: 'admin' }]);
  });

  it('is for administrators only', async () => {
    t = startTestCore();
    const admin = await setupAdmin(t);
    const { token } = await addUser(t, admin, 'rita', 'radiologist');
    const refused = await t.call('firstRun.status', {}, token);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('PERMISSION_DENIED');
  });
});
