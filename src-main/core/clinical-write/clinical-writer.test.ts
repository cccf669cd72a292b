import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries, fixtureUid } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { createPatientsRepo } from '../patients/patients-repo.js';
import { createAuditRepo } from '../audit/audit-repo.js';
import { fixedClock } from '../platform/clock.js';
import { createClinicalWriter, type ClinicalChange } from './clinical-writer.js';
import { createOutboxRepo } from './outbox-repo.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

const count = (t: TestCore, table: string): number =>
  (t.core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('the clinical write point', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  function writerOf(tc: TestCore) {
    const db = tc.core.db;
    return {
      writer: createClinicalWriter({
        db,
        audit: createAuditRepo(db, TEST_AUDIT_KEY),
        outbox: createOutboxRepo(db),
        clock: fixedClock(new Date('2024-03-01T09:00:00.000Z')),
      }),
      outbox: createOutboxRepo(db),
      patients: createPatientsRepo(db),
    };
  }

  it('writes a patient change, its audit entry and its outbox entry together', async () => {
    const created = await t.ok('patients.create', { name: 'Ada Lovelace' }, token);
    const updated = await t.ok('patients.update', { id: created.id, notes: 'follow-up' }, token);

    expect(t.core.audit.list(2).map((e) => [e.action, e.actor, e.target])).toEqual([
      ['patients.update', 'admin', created.id],
      ['patients.create', 'admin', created.id],
    ]);
    const outbox = createOutboxRepo(t.core.db).list();
    expect(outbox.map((e) => [e.entity, e.entityId, e.op, e.status])).toEqual([
      ['patient', created.id, 'create', 'pending'],
      ['patient', created.id, 'update', 'pending'],
    ]);
    expect(outbox[1]?.payload).toEqual(updated);
    expect(t.core.audit.verify().issues).toEqual([]);
  });

  it('rolls back the row, the audit entry and the outbox entry when any part fails', () => {
    const { writer, patients } = writerOf(t);
    const before = { audit: count(t, 'audit_log'), outbox: count(t, 'outbox') };
    const fields = { name: 'Rolled Back', mrn: null, birthDate: null, sex: null, notes: '' };

    // The change itself fails after writing its row.
    expect(() =>
      writer.write('admin', 'patients.create', () => {
        patients.insert('p-1', fields, 't');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    // The change succeeds but its outbox entry cannot be written (an entity the outbox refuses).
    const bogus = { entity: 'invoice', id: 'p-2', op: 'create' } as unknown as ClinicalChange;
    expect(() =>
      writer.write('admin', 'patients.create', () => ({
        result: patients.insert('p-2', fields, 't'),
        target: 'p-2',
        changes: [{ entity: 'patient', id: 'p-2', op: 'create' }, bogus],
      })),
    ).toThrow(/CHECK/);

    expect(patients.get('p-1')).toBeUndefined();
    expect(patients.get('p-2')).toBeUndefined();
    expect(count(t, 'audit_log')).toBe(before.audit);
    expect(count(t, 'outbox')).toBe(before.outbox);
    expect(t.core.audit.verify().issues).toEqual([]);
  });

  it("audits the records an import job creates under the user who started it, not 'system'", async () => {
    const { token: techToken } = await addUser(t, token, 'tech', 'technologist');
    const series = writeDicomSeries(join(t.inputDir, 'series'), 2, {
      patientId: 'NS-0042',
      seriesInstanceUid: fixtureUid(),
    });
    writeFileSync(join(t.inputDir, 'photo.png'), makePng(8, 8));
    const { job, report } = await runImport(t, techToken, [t.inputDir]);
    expect(job.createdBy).toBe('tech');
    expect(report.imported).toBe(series.length + 1);

    const fileEntries = t.core.audit.list(100).filter((e) => e.action === 'import.file');
    expect(fileEntries).toHaveLength(series.length + 1);
    expect(new Set(fileEntries.map((e) => e.actor))).toEqual(new Set(['tech']));
    // The series' geometry, computed when the job ends, is the same user's change.
    const geometry = t.core.audit.list(100).filter((e) => e.action === 'scans.geometry');
    expect(geometry.map((e) => e.actor)).toEqual(['tech']);

    // Every created record is in the outbox: the DICOM patient, study, series, both scans, all files.
    const created = createOutboxRepo(t.core.db)
      .list()
      .filter((e) => e.op === 'create');
    const byEntity = (entity: string) => created.filter((e) => e.entity === entity).length;
    expect(byEntity('patient')).toBe(1);
    expect(byEntity('study')).toBe(1);
    expect(byEntity('series')).toBe(1);
    expect(
      created
        .filter((e) => e.entity === 'scan')
        .map((e) => e.entityId)
        .sort(),
    ).toEqual([...report.scanIds].sort());
    expect(byEntity('file')).toBe(series.length + 1);
  });

  it('audits an analysis, and the scan status it sets, under the user who started it', async () => {
    installBrightSpotModel(join(t.root, 'models'));
    const { token: radToken } = await addUser(t, token, 'rad', 'radiologist');
    const path = join(t.inputDir, 'slice.png');
    writeFileSync(
      path,
      makePng(32, 32, (x, y) => (x >= 8 && x < 16 && y >= 8 && y < 16 ? 250 : 40)),
    );
    const { report } = await runImport(t, token, [path]);
    const scanId = report.scanIds[0] ?? '';
    const started = await t.ok(
      'analysis.start',
      { scanId, segmentationModel: 'bright-spot', classificationModel: null },
      radToken,
    );
    expect((await t.core.jobs.whenFinished(started.id)).status).toBe('completed');

    const entries = t.core.audit
      .list(100)
      .filter((e) => e.target === scanId && e.action !== 'import.file')
      .reverse();
    expect(entries.map((e) => [e.action, e.actor, e.details['status'] ?? null])).toEqual([
      ['analysis.start', 'rad', null],
      ['scans.status', 'rad', 'processing'],
      ['scans.status', 'rad', 'completed'],
      ['analysis.store', 'rad', null],
    ]);
    const analysis = await t.ok('analysis.get', { scanId }, token);
    const outbox = createOutboxRepo(t.core.db).list();
    expect(outbox.filter((e) => e.entity === 'analysis').map((e) => e.entityId)).toEqual([
      analysis.id,
    ]);
  });
});
