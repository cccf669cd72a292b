import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createAuditRepo, type AuditRepo } from './audit-repo.js';

describe('audit log chain', () => {
  let t: TempDb;
  let audit: AuditRepo;
  beforeEach(() => {
    t = openTempDb();
    audit = createAuditRepo(t.db);
    for (const [i, action] of [
      'auth.login',
      'patients.read',
      'patients.update',
      'auth.logout',
    ].entries()) {
      audit.append({
        at: `2024-03-01T08:00:0${i}.000Z`,
        actor: 'alice',
        action,
        target: `p${i}`,
        details: { i },
      });
    }
  });
  afterEach(() => t.dispose());

  /** What an attacker with the database file could do: remove the append-only guard. */
  const dropGuards = (): void => {
    t.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  };

  it('links each entry to the previous one and verifies as intact', () => {
    const entries = audit.list().reverse();
    expect(entries.map((e) => e.action)).toEqual([
      'auth.login',
      'patients.read',
      'patients.update',
      'auth.logout',
    ]);
    expect(entries[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++)
      expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(entries[2]?.details).toEqual({ i: 2 });
    expect(audit.verify()).toBeNull();
  });

  it('detects an edited entry', () => {
    dropGuards();
    t.db.prepare(`UPDATE audit_log SET details = '{"i":99}' WHERE seq = 2`).run();
    expect(audit.verify()).toBe(2);
  });

  it('detects an entry whose hash was recomputed after editing (the next link breaks)', () => {
    dropGuards();
    t.db
      .prepare(`UPDATE audit_log SET actor = 'mallory', hash = ? WHERE seq = 2`)
      .run('f'.repeat(64));
    expect(audit.verify()).toBe(2);
    const row = t.db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string };
    expect(row.hash).toBe('f'.repeat(64));
  });

  it('detects a deleted entry', () => {
    dropGuards();
    t.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(audit.verify()).toBe(4);
  });
});
