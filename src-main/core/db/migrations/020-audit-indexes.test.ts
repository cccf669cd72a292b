import { afterEach, describe, expect, it } from 'vitest';
import { createAuditRepo } from '../../audit/audit-repo.js';
import { TEST_AUDIT_KEY } from '../../../test-support/test-audit-key.js';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 020 (audit indexes)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps the chain intact and append-only, and the filters read through the new indexes', () => {
    t = openTempDb(19);
    const audit = createAuditRepo(t.db, TEST_AUDIT_KEY);
    audit.open('2026-12-03T08:00:00.000Z');
    for (let i = 0; i < 5; i += 1)
      audit.append({
        at: `2026-12-03T08:0${i}:00.000Z`,
        actor: 'ada',
        action: 'scans.read',
        target: `s-${i}`,
      });
    migrate(t.db);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 5 });
    expect(() => t.db.exec("UPDATE audit_log SET actor = 'eve'")).toThrow(/append-only/);

    const plan = (sql: string): string =>
      t.db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join(' | ');
    expect(plan("SELECT * FROM audit_log WHERE actor = 'ada' ORDER BY seq DESC LIMIT 50")).toMatch(
      /USING INDEX audit_log_actor/,
    );
    expect(plan("SELECT * FROM audit_log WHERE action = 'x' ORDER BY seq DESC LIMIT 50")).toMatch(
      /USING INDEX audit_log_action/,
    );
    expect(plan("SELECT * FROM audit_log WHERE target = 's-1' ORDER BY seq DESC")).toMatch(
      /USING INDEX audit_log_target/,
    );
    expect(plan("SELECT count(*) FROM audit_log WHERE at >= '2026-12-03'")).toMatch(/audit_log_at/);
  });
});
