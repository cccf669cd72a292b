import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamData } from '../streams/stream-types.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import {
  ADMIN,
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

async function textOf(data: StreamData | undefined): Promise<string> {
  if (data === undefined) throw new Error('no data');
  if (data instanceof Uint8Array) return new TextDecoder().decode(data);
  const parts: Uint8Array[] = [];
  for await (const chunk of data) parts.push(chunk);
  return new TextDecoder().decode(Buffer.concat(parts));
}

/** The audit page's calls on a running core: filters, paging, verify, CSV. */
describe('the audit page', () => {
  let t: TestCore;
  let admin: string;
  let vera: string;
  let scanId: string;
  let patientId: string;
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    writeDicomSeries(join(t.inputDir, 'mr'), 2, {
      patientId: 'MRN-4711',
      patientName: 'Doe^Jane',
      rows: 16,
      columns: 16,
    });
    scanId = await importScan(t, admin, [join(t.inputDir, 'mr')]);
    patientId = (await t.ok('scans.get', { id: scanId }, admin)).scan.patientId as string;
    t.clock.advance(24 * 3600_000); // the next day
    admin = (await t.ok('auth.login', { ...ADMIN })).token;
    vera = (await addUser(t, admin, 'vera', 'viewer')).token;
    await t.ok('scans.get', { id: scanId }, vera);
    await t.ok('patients.get', { id: patientId }, vera);
    await t.fail('users.list', {}, vera);
    await t.fail('auth.login', { username: '=HYPERLINK("x")', password: 'wrong password!' });
  }, 60_000);
  afterEach(() => t.dispose());

  it('filters by user, patient (record id or MRN), action, time and outcome, and pages', async () => {
    const byVera = await t.ok('audit.list', { actor: 'vera' }, admin);
    expect(byVera.items.map((e) => e.action)).toEqual([
      'access.refused',
      'patients.read',
      'scans.read',
      'auth.login',
    ]);
    expect(byVera.items[0]).toMatchObject({ outcome: 'refused', details: { call: 'users.list' } });

    const byMrn = await t.ok('audit.list', { patient: 'MRN-4711', actor: 'vera' }, admin);
    expect(byMrn.items.map((e) => [e.action, e.target])).toEqual([
      ['patients.read', patientId],
      ['scans.read', scanId],
    ]);
    const byId = await t.ok('audit.list', { patient: patientId }, admin);
    expect(byId.total).toBeGreaterThan(byMrn.total); // the admin's import too
    expect(byId.items.every((e) => e.target !== null)).toBe(true);

    const refused = await t.ok('audit.list', { outcome: 'refused' }, admin);
    expect(refused.items.map((e) => e.action).sort()).toEqual([
      'access.refused',
      'auth.login.failed',
    ]);
    const allowed = await t.ok('audit.list', { outcome: 'allowed', limit: 500 }, admin);
    const all = await t.ok('audit.list', { limit: 500 }, admin);
    expect(allowed.total + refused.total).toBe(all.total);

    const dayOne = await t.ok(
      'audit.list',
      { from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00+00:00', limit: 500 },
      admin,
    );
    const dayTwo = await t.ok('audit.list', { from: '2024-03-02T00:00:00Z', limit: 500 }, admin);
    expect(dayOne.total + dayTwo.total).toBe(all.total);
    expect(dayTwo.items.every((e) => e.at >= '2024-03-02')).toBe(true);
    expect(dayOne.items.every((e) => e.at < '2024-03-02')).toBe(true);

    const reads = await t.ok('audit.list', { action: 'scans.read' }, admin);
    expect(reads.items.every((e) => e.action === 'scans.read')).toBe(true);

    const page2 = await t.ok('audit.list', { page: 2, limit: 3 }, admin);
    expect(page2).toMatchObject({ page: 2, limit: 3, total: all.total });
    expect(page2.items.map((e) => e.seq)).toEqual(all.items.slice(3, 6).map((e) => e.seq));

    const options = await t.ok('audit.filterOptions', {}, admin);
    expect(options.actors).toEqual(['=HYPERLINK("x")', 'admin', 'vera']);
    expect(options.actions).toContain('scans.read');
    // The trail holds no names: not the patient's, in rows or options.
    expect(JSON.stringify([all, options])).not.toContain('Doe');
  });

  it('says what is wrong with a filter', async () => {
    expect(await t.fail('audit.list', { patient: 'MRN-NOPE' }, admin)).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No patient has the record id or MRN "MRN-NOPE"/),
    });
    expect(
      await t.fail(
        'audit.list',
        { from: '2024-03-02T00:00:00Z', to: '2024-03-01T00:00:00Z' },
        admin,
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/before its end/) });
    expect((await t.fail('audit.list', { from: 'yesterday' }, admin)).code).toBe('INVALID_INPUT');
    expect((await t.fail('audit.list', {}, vera)).code).toBe('PERMISSION_DENIED');
  });

  it('verifies the chain, listing every altered row and a truncation, and is audited', async () => {
    expect(await t.ok('audit.verify', {}, admin)).toMatchObject({ ok: true, issues: [] });
    const latest = (await t.ok('audit.list', { limit: 1 }, admin)).items[0];
    expect(latest).toMatchObject({ action: 'audit.verify', details: { ok: true, issues: 0 } });

    // Someone with the file: drops the triggers, edits two rows, deletes the last one.
    const raw = new Database(join(t.root, 'data', 'neurosphere.db'));
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq IN (3, 5)").run();
    raw.prepare('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').run();
    raw.close();

    const result = await t.ok('audit.verify', {}, admin);
    expect(result.ok).toBe(false);
    expect(result.issues.filter((i) => i.kind === 'altered').map((i) => i.seq)).toEqual([3, 5]);
    expect(result.issues.map((i) => i.kind)).toContain('truncated');
  });

  it('exports the filtered rows as CSV, streamed, escaped, and audited without the MRN', async () => {
    const filter = { patient: 'MRN-4711', actor: 'vera' };
    const listed = await t.ok('audit.list', filter, admin);
    const reply = await t.core.router.stream('audit.csv', filter, {
      transport: 'test',
      token: admin,
    });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.value.description).toMatchObject({ rows: 2 });
    expect(reply.value.filename).toMatch(/^neurosphere-audit-2024-03-02T08-00-00\.csv$/);
    const lines = (await textOf(reply.value.data)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,outcome,target,details,hash');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 6))).toEqual(
      listed.items.map((e) => [String(e.seq), e.at, 'vera', e.action, 'allowed', e.target]),
    );
    const exported = (await t.ok('audit.list', { action: 'audit.export' }, admin)).items[0];
    expect(exported?.details).toEqual({
      format: 'csv',
      rows: 2,
      actor: 'vera',
      patientIds: [patientId],
    });

    const refused = await t.core.router.stream(
      'audit.csv',
      { outcome: 'refused' },
      { transport: 'test', token: admin },
    );
    if (!refused.ok) throw new Error(refused.error.message);
    const text = await textOf(refused.value.data);
    // A username a spreadsheet would run as a formula is written as text.
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('exports a trail larger than one batch without losing or repeating a row', async () => {
    for (let i = 0; i < 1500; i += 1)
      t.core.audit.append({
        at: t.clock.iso(),
        actor: 'bulk',
        action: 'scans.read',
        target: scanId,
      });
    const reply = await t.core.router.stream(
      'audit.csv',
      { actor: 'bulk' },
      { transport: 'test', token: admin },
    );
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.value.data).not.toBeInstanceOf(Uint8Array);
    const rows = (await textOf(reply.value.data)).trimEnd().split('\r\n').slice(1);
    const seqs = rows.map((r) => Number(r.split(',')[0]));
    expect(seqs.length).toBe(1500);
    expect(new Set(seqs).size).toBe(1500);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });
});
