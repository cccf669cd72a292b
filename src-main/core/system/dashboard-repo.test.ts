import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardStatsSchema } from '../../../src-shared/contract/dashboard.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createPatientsRepo } from '../patients/patients-repo.js';
import { createScansRepo, type NewScan, type ScansRepo } from '../scans/scans-repo.js';
import { createStudiesRepo } from '../scans/studies-repo.js';
import { createDashboardRepo, type DashboardRepo } from './dashboard-repo.js';

const base: Omit<NewScan, 'id'> = {
  patientId: null,
  studyId: null,
  seriesId: null,
  kind: 'image',
  format: 'png',
  modality: null,
  description: null,
  rows: 8,
  columns: 8,
  spacing: null,
  acquiredAt: null,
};

describe('dashboard repo on a real database', () => {
  let t: TempDb;
  let scans: ScansRepo;
  let dashboard: DashboardRepo;

  beforeEach(() => {
    t = openTempDb();
    scans = createScansRepo(t.db);
    dashboard = createDashboardRepo(t.db);
  });
  afterEach(() => t.dispose());

  /** A DICOM study of a patient with `series` scans, imported at `at`. Returns the scan ids. */
  function study(patientMrn: string, series: number, at: string): string[] {
    const patients = createPatientsRepo(t.db);
    const patientId =
      patients.findByMrn(patientMrn)?.id ??
      patients.insert(
        randomUUID(),
        { name: patientMrn, mrn: patientMrn, birthDate: null, sex: null, notes: '' },
        at,
      ).id;
    const studyId = randomUUID();
    const studies = createStudiesRepo(t.db);
    studies.insertStudy(
      {
        id: studyId,
        patientId,
        studyInstanceUid: randomUUID(),
        studyDate: '2019-05-01',
        description: null,
        accessionNumber: null,
      },
      at,
    );
    return Array.from({ length: series }, (_, n) => {
      const seriesId = randomUUID();
      studies.insertSeries(
        {
          id: seriesId,
          studyId,
          seriesInstanceUid: randomUUID(),
          seriesNumber: n + 1,
          modality: 'MR',
          description: null,
        },
        at,
      );
      const id = randomUUID();
      scans.insert(
        {
          ...base,
          id,
          patientId,
          studyId,
          seriesId,
          kind: 'series',
          format: 'dicom',
          acquiredAt: '2019-05-01',
        },
        at,
      );
      return id;
    });
  }

  function analyse(scanId: string, positive: boolean, at: string, applicability = 'applicable') {
    t.db
      .prepare(
        `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at, applicability)
         VALUES (?, ?, 'cpu', ?, ?, '{}', ?, ?)`,
      )
      .run(randomUUID(), scanId, positive ? 1 : 0, positive ? 1 : 0, at, applicability);
  }

  it('answers zeros and no last import for an empty database', () => {
    expect(
      dashboardStatsSchema.parse(dashboard.stats(new Date('2024-03-15T12:00:00.000Z'))),
    ).toEqual({
      totalPatients: 0,
      totalStudies: 0,
      totalScans: 0,
      studiesThisMonth: 0,
      scansThisMonth: 0,
      month: {
        timeZone: 'UTC',
        start: '2024-03-01T00:00:00.000Z',
        end: '2024-04-01T00:00:00.000Z',
      },
      studiesAnalysed: 0,
      studiesWithTumour: 0,
      patientsAnalysed: 0,
      patientsWithTumour: 0,
      tumorsDetected: 0,
      tumorPercentage: 0,
      analysedScans: 0,
      lastScanDate: null,
      lastScanDaysAgo: null,
    });
  });

  it('counts patients and studies, not series', () => {
    study('P1', 4, '2024-03-02T10:00:00.000Z');
    study('P1', 2, '2024-03-03T10:00:00.000Z');
    study('P2', 3, '2024-03-04T10:00:00.000Z');
    scans.insert({ ...base, id: randomUUID() }, '2024-03-05T10:00:00.000Z');
    expect(dashboard.stats(new Date('2024-03-15T12:00:00.000Z'))).toMatchObject({
      totalPatients: 2,
      totalStudies: 4,
      totalScans: 10,
    });
  });

  it('counts this month by import time, whatever the acquisition date', () => {
    // Six series of one old study imported today: one study this month, not three.
    study('P1', 6, '2024-03-15T08:00:00.000Z');
    study('P2', 1, '2024-02-29T23:59:59.999Z');
    const stats = dashboard.stats(new Date('2024-03-15T12:00:00.000Z'));
    expect(stats).toMatchObject({
      studiesThisMonth: 1,
      scansThisMonth: 6,
      lastScanDate: '2024-03-15T08:00:00.000Z',
      lastScanDaysAgo: 0,
    });
  });

  it('counts "this month" in the caller\'s time zone', () => {
    study('P1', 1, '2026-11-30T23:30:00.000Z');
    const now = new Date('2026-12-01T10:00:00.000Z');
    expect(dashboard.stats(now, 'Europe/Berlin')).toMatchObject({
      studiesThisMonth: 1,
      month: { start: '2026-11-30T23:00:00.000Z', end: '2026-12-31T23:00:00.000Z' },
    });
    // In New York it is still 30 November at import: last month by 1 December 10:00Z (05:00 EST).
    expect(dashboard.stats(now, 'America/New_York')).toMatchObject({ studiesThisMonth: 0 });
    expect(dashboard.stats(new Date('2026-12-01T03:00:00.000Z'), 'America/New_York')).toMatchObject(
      { studiesThisMonth: 1, month: { start: '2026-11-01T04:00:00.000Z' } },
    );
    expect(dashboard.stats(now)).toMatchObject({ studiesThisMonth: 0 });
  });

  it('counts a study once however many series it has, only by applicable latest analyses', () => {
    const [a1, a2, a3] = study('P1', 3, '2024-03-02T10:00:00.000Z') as [string, string, string];
    const [b1] = study('P1', 1, '2024-03-02T10:00:00.000Z') as [string];
    const [c1] = study('P2', 1, '2024-03-02T10:00:00.000Z') as [string];
    const [d1] = study('P3', 1, '2024-03-02T10:00:00.000Z') as [string];
    // Study A: two positive series, one negative: one study with a tumour.
    analyse(a1, true, '2024-03-03T00:00:00.000Z');
    analyse(a2, true, '2024-03-03T00:00:00.000Z');
    analyse(a3, false, '2024-03-03T00:00:00.000Z');
    // Study B: positive, then negative on re-analysis: the latest verdict counts.
    analyse(b1, true, '2024-03-03T00:00:00.000Z');
    analyse(b1, false, '2024-03-04T00:00:00.000Z');
    // Study C: refused input; study D: a run forced on a refused input. Neither counts.
    analyse(c1, false, '2024-03-03T00:00:00.000Z', 'not-applicable');
    analyse(d1, true, '2024-03-03T00:00:00.000Z', 'forced');
    expect(dashboard.stats(new Date('2024-03-15T12:00:00.000Z'))).toMatchObject({
      totalStudies: 4,
      analysedScans: 4,
      studiesAnalysed: 2,
      studiesWithTumour: 1,
      tumorsDetected: 1,
      tumorPercentage: 50,
      patientsAnalysed: 1,
      patientsWithTumour: 1,
    });
  });

  it('refuses an unknown time zone', () => {
    expect(() => dashboard.stats(new Date(), 'Nowhere/Land')).toThrow(/Unknown time zone/);
  });
});
