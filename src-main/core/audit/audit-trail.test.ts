import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { FRAME_READ_WINDOW_MS } from './read-coalescer.js';

/** What the core writes into the trail: reads, refusals, odd text; never a search term. */
describe('the audit trail of a running core', () => {
  let t: TestCore;
  let admin: string;
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const rowsOf = (action: string) => t.core.audit.list(1000).filter((e) => e.action === action);

  it('verifies after a failed login with a lone-surrogate username', async () => {
    await t.fail('auth.login', { username: 'ev\uD800e', password: 'wrong password!' });
    await t.ok('auth.login', { username: 'admin', password: 'correct horse battery' });
    expect(rowsOf('auth.login.failed')[0]?.actor).toBe('ev\uFFFDe');
    expect(t.core.audit.verify()).toMatchObject({ ok: true, issues: [] });
  });

  it('records refused attempts: no session, a bad token, a missing permission', async () => {
    const viewer = await addUser(t, admin, 'vera', 'viewer');
    await t.fail('patients.list', {});
    await t.fail('patients.list', {}, 'not-a-real-token');
    await t.fail(
      'users.create',
      { username: 'xavier', password: 'a long enough password', role: 'viewer' },
      viewer.token,
    );
    const refused = rowsOf('access.refused').reverse();
    expect(refused.map((e) => [e.actor, e.details])).toEqual([
      [null, { call: 'patients.list', reason: 'UNAUTHENTICATED', transport: 'test' }],
      [null, { call: 'patients.list', reason: 'UNAUTHENTICATED', transport: 'test' }],
      ['vera', { call: 'users.create', reason: 'PERMISSION_DENIED', transport: 'test' }],
    ]);
    expect(JSON.stringify(refused)).not.toContain('not-a-real-token');
    expect(t.core.audit.verify().ok).toBe(true);
  });

  it('keeps no search terms (they are patient names)', async () => {
    await t.ok('patients.list', { search: 'Doe^Jane' }, admin);
    await t.ok('scans.list', { search: 'Doe^Jane' }, admin);
    await t.ok('worklist.list', { search: 'Doe^Jane' }, admin);
    const all = JSON.stringify(t.core.audit.list(1000));
    expect(all).not.toContain('Doe');
    expect(rowsOf('patients.list')[0]?.details).toEqual({ searched: true });
  });

  it('audits frame reads once per user and scan within the window, and again after it', async () => {
    const file = join(t.inputDir, 'slice.png');
    writeFileSync(
      file,
      makePng(16, 16, (x) => x * 10),
    );
    const scanId = await importScan(t, admin, [file]);
    const read = async (): Promise<void> => {
      const result = await t.core.router.stream(
        'frames.read',
        { scanId, index: 0 },
        { transport: 'test', token: admin },
      );
      expect(result.ok).toBe(true);
    };
    await read();
    await read();
    await read();
    expect(rowsOf('frames.read')).toHaveLength(1);
    expect(rowsOf('frames.read')[0]).toMatchObject({ actor: 'admin', target: scanId });
    t.clock.advance(FRAME_READ_WINDOW_MS);
    await read();
    expect(rowsOf('frames.read')).toHaveLength(2);
  });
});
