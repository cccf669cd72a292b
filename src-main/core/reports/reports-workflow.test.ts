import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries, headWithSpot } from '../../test-support/dicom-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  addUser,
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { createOutboxRepo } from '../clinical-write/outbox-repo.js';

describe('reports: draft → signed → amended, on a real store', () => {
  let t: TestCore;
  let admin: string;
  let radiologist: string;
  let technologist: string;
  let scanId: string;
  let patientId: string;

  async function flairScan(name: string): Promise<string> {
    return importScan(
      t,
      admin,
      writeDicomSeries(join(t.inputDir, name), 4, {
        rows: 64,
        columns: 64,
        patientId: 'MRN-7',
        patientName: 'Test^Patient',
        seriesDescription: 'AX FLAIR',
        extraAttributes: { BodyPartExamined: 'BRAIN' },
        pixel: headWithSpot,
      }),
    );
  }

  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    radiologist = (await addUser(t, admin, 'rad', 'radiologist')).token;
    technologist = (await addUser(t, admin, 'tech', 'technologist')).token;
    installFlairIdentityModel(join(t.root, 'models'));
    scanId = await flairScan('flair');
    const scan = (await t.ok('scans.get', { id: scanId }, admin)).scan;
    patientId = scan.patientId as string;
  });
  afterEach(() => t.dispose());

  it('refuses a report of a scan not analysed yet, saying to analyse it first', async () => {
    const error = await t.fail('reports.create', { scanId }, radiologist);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/has not been analysed yet: analyse it first/);
    expect(error.message).toContain(`neurosphere analyze --scan ${scanId}`);
  });

  it('drafts from the analysis, edits, signs (audited), refuses edits after signing, amends', async () => {
    const analysis = await analyseScan(t, admin, scanId);
    const draft = await t.ok('reports.create', { scanId }, radiologist);
    expect(draft).toMatchObject({
      scanId,
      patientId,
      version: 1,
      status: 'draft',
      analysisId: analysis.id,
      createdBy: 'rad',
      signedBy: null,
      signedAt: null,
      amends: null,
      changes: null,
      supersededBy: null,
      impression: '',
    });
    expect(draft.findings).toMatch(/The segmentation model found 1 lesion/);
    // One report per scan: a second create points at the first.
    expect(await t.fail('reports.create', { scanId }, radiologist)).toMatchObject({
      code: 'CONFLICT',
      details: { reportId: draft.id },
    });
    // A technologist reads but does not write.
    expect(
      (await t.fail('reports.update', { id: draft.id, impression: 'x' }, technologist)).code,
    ).toBe('PERMISSION_DENIED');
    expect((await t.ok('reports.get', { id: draft.id }, technologist)).id).toBe(draft.id);

    // Signing needs an impression.
    expect((await t.fail('reports.sign', { id: draft.id }, radiologist)).message).toMatch(
      /Write an impression before signing/,
    );
    const edited = await t.ok(
      'reports.update',
      { id: draft.id, impression: 'Solitary left frontal lesion.' },
      radiologist,
    );
    expect(edited.impression).toBe('Solitary left frontal lesion.');
    expect(edited.findings).toBe(draft.findings);

    t.clock.advance(60_000);
    const signed = await t.ok('reports.sign', { id: draft.id }, radiologist);
    expect(signed).toMatchObject({
      status: 'final',
      signedBy: 'rad',
      signedAt: '2024-03-01T08:01:00.000Z',
    });
    const signEntry = t.core.audit.list(50).find((e) => e.action === 'reports.sign');
    expect(signEntry).toMatchObject({
      actor: 'rad',
      target: draft.id,
      at: '2024-03-01T08:01:00.000Z',
    });

    // A signed report cannot be edited: the service says so …
    const refused = await t.fail(
      'reports.update',
      { id: draft.id, findings: 'changed' },
      radiologist,
    );
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: 'A signed report cannot be edited; amend it.',
    });
    expect((await t.fail('reports.sign', { id: draft.id }, radiologist)).code).toBe('CONFLICT');
    // … and the table's trigger refuses a direct UPDATE of the final row.
    expect(() =>
      t.core.db.prepare("UPDATE reports SET findings = 'tampered' WHERE id = ?").run(draft.id),
    ).toThrow(/A signed report cannot be edited; amend it/);
    expect((await t.ok('reports.get', { id: draft.id }, admin)).findings).toBe(draft.findings);

    // Amending names what changes and makes version 2, a draft with the texts of version 1.
    expect((await t.fail('reports.amend', { id: draft.id, changes: '  ' }, radiologist)).code).toBe(
      'INVALID_INPUT',
    );
    t.clock.advance(60_000);
    const amendment = await t.ok(
      'reports.amend',
      { id: draft.id, changes: 'Corrected the lesion location' },
      radiologist,
    );
    expect(amendment).toMatchObject({
      version: 2,
      status: 'draft',
      amends: draft.id,
      changes: 'Corrected the lesion location',
      impression: 'Solitary left frontal lesion.',
    });
    expect(
      (await t.fail('reports.amend', { id: draft.id, changes: 'again' }, radiologist)).code,
    ).toBe('CONFLICT');
    const versions = await t.ok('reports.listForPatient', { patientId }, technologist);
    expect(versions.map((r) => [r.version, r.status, r.supersededBy])).toEqual([
      [2, 'draft', null],
      [1, 'final', amendment.id],
    ]);
    expect((await t.ok('reports.listForScan', { scanId }, admin)).map((r) => r.id)).toEqual([
      amendment.id,
      draft.id,
    ]);

    // Every change went through the clinical writer: outbox entries for the report.
    const reportOps = createOutboxRepo(t.core.db)
      .list(500)
      .filter((e) => e.entity === 'report')
      .map((e) => [e.entityId, e.op]);
    expect(reportOps).toEqual([
      [draft.id, 'create'],
      [draft.id, 'update'],
      [draft.id, 'update'],
      [amendment.id, 'create'],
    ]);

    // Deleting needs the admin; it removes every version.
    expect((await t.fail('reports.delete', { id: draft.id }, radiologist)).code).toBe(
      'PERMISSION_DENIED',
    );
    expect(await t.ok('reports.delete', { id: amendment.id }, admin)).toEqual({
      deleted: true,
      versions: 2,
    });
    expect(await t.ok('reports.listForScan', { scanId }, admin)).toEqual([]);
    expect((await t.fail('reports.get', { id: draft.id }, admin)).code).toBe('NOT_FOUND');
  });

  it('moves a draft to the latest analysis on request, keeping its texts', async () => {
    const first = await analyseScan(t, admin, scanId);
    const draft = await t.ok('reports.create', { scanId }, radiologist);
    await t.ok('reports.update', { id: draft.id, impression: 'Kept.' }, radiologist);
    t.clock.advance(1000);
    const second = await analyseScan(t, admin, scanId);
    expect(second.id).not.toBe(first.id);
    expect((await t.ok('reports.get', { id: draft.id }, radiologist)).analysisId).toBe(first.id);
    const moved = await t.ok('reports.update', { id: draft.id, analysis: 'latest' }, radiologist);
    expect(moved).toMatchObject({ analysisId: second.id, impression: 'Kept.', version: 1 });
    const entry = t.core.audit.list(20).find((e) => e.action === 'reports.update');
    expect(entry?.details).toEqual({ fields: ['analysisId'] });
  });

  it("counts a patient's scans with and without tumour and not assessed (the seed's statistics)", async () => {
    await analyseScan(t, admin, scanId);
    const empty = await importScan(
      t,
      admin,
      writeDicomSeries(join(t.inputDir, 'empty'), 4, {
        rows: 64,
        columns: 64,
        patientId: 'MRN-7',
        patientName: 'Test^Patient',
        seriesDescription: 'AX FLAIR',
        extraAttributes: { BodyPartExamined: 'BRAIN' },
        pixel: (r, c) => ((r - 32) ** 2 + (c - 32) ** 2 > 30 ** 2 ? 0 : 700),
      }),
    );
    await analyseScan(t, admin, empty);
    await flairScan('not-analysed');
    const report = await t.ok('reports.create', { scanId }, radiologist);
    await t.ok('reports.update', { id: report.id, impression: 'Lesion.' }, radiologist);
    await t.ok('reports.sign', { id: report.id }, radiologist);
    expect(await t.ok('reports.patientStats', { patientId }, technologist)).toEqual({
      patientId,
      scans: 3,
      withTumour: 1,
      withoutTumour: 1,
      notAssessed: 1,
      reports: 1,
      signedReports: 1,
    });
    const unknown = await t.fail(
      'reports.patientStats',
      { patientId: '00000000-0000-4000-8000-00000000ffff' },
      technologist,
    );
    expect(unknown.code).toBe('NOT_FOUND');
  });
});
