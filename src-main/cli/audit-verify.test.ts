import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../test-support/temp-dir.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

/** `neurosphere audit verify` over a real data folder, its key in the test gnome-keyring. */
describe('neurosphere audit verify', () => {
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    await ensureBuilt();
    root = makeTempDir('neurosphere-audit-cli-');
    dataDir = join(root, 'data');
  });
  afterAll(() => removeTempDir(root));

  const verify = (...extra: string[]) =>
    runCliProcess(['audit', 'verify', '--data-dir', dataDir, ...extra]);

  it('says the trail is intact (exit 0), then lists each break after tampering (exit 1)', async () => {
    for (const username of ['ann', 'bob']) {
      const run = await runCliProcess(
        [
          'users',
          'add',
          '--data-dir',
          dataDir,
          '--username',
          username,
          '--role',
          'viewer',
          '--password-stdin',
        ],
        { input: 'a long enough password\n' },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const intact = await verify();
    expect(intact.stdout).toMatch(/^Audit trail intact: 2 rows\.$/m);
    expect(intact.code).toBe(0);

    const db = new Database(join(dataDir, 'neurosphere.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare(
      "UPDATE audit_log SET details = replace(details, 'viewer', 'admin') WHERE seq = 1",
    ).run();
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.close();

    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Audit trail BROKEN: 2 problems in 1 row.');
    expect(broken.stderr).toMatch(/row 1: Row 1 \(users.create\) was changed/);
    expect(broken.stderr).toMatch(
      /row 1: The log ends at row 1 but was written up to row 2: rows 2–2 were deleted from the end/,
    );
    const json = await verify('--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      rows: 1,
      issues: [{ kind: 'altered' }, { kind: 'truncated' }],
    });
  }, 120_000);

  it('refuses to run unkeyed when the keychain is unavailable, and says what to do', async () => {
    const run = await runCliProcess(['audit', 'verify', '--data-dir', join(root, 'other')], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/keychain holding the audit key is unavailable/);
    expect(run.stderr).toContain('NEUROSPHERE_AUDIT_KEY_FILE');
  }, 60_000);
});
