import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createDashboardRepo, type DashboardRepo } from './dashboard-repo.js';
import { createScansRepo, type NewScan, type ScansRepo } from '../scans/scans-repo.js';

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

  it('answers zeros and no last scan for an empty database', () => {
    expect(dashboard.stats(new Date('2024-03-15T12:00:00.000Z'))).toEqual({
      totalScans: 0,
      scansThisMonth: 0,
      tumorsDetected: 0,
      tumorPercentage: 0,
      analysedScans: 0,
      lastScanDate: null,
      lastScanDaysAgo: null,
    });
  });

  it('counts this month by acquisition date, else import date, and finds the last scan', () => {
    // Imported this month but acquired last year: not "this month".
    scans.insert({ ...base, id: 's1', acquiredAt: '2023-12-24' }, '2024-03-02T10:00:00.000Z');
    // No acquisition date: the import date counts.
    scans.insert({ ...base, id: 's2' }, '2024-03-01T00:00:00.000Z');
    scans.insert({ ...base, id: 's3' }, '2024-02-29T23:59:59.000Z');
    scans.insert({ ...base, id: 's4', acquiredAt: '2024-03-10' }, '2024-03-11T08:00:00.000Z');

    const stats = dashboard.stats(new Date('2024-03-15T12:00:00.000Z'));
    expect(stats).toMatchObject({
      totalScans: 4,
      scansThisMonth: 2,
      tumorsDetected: 0,
      tumorPercentage: 0,
      analysedScans: 0,
      lastScanDate: '2024-03-10T00:00:00.000Z',
      lastScanDaysAgo: 5,
    });
  });

  it('counts analysed scans and tumours by the latest analysis of each scan', () => {
    for (const id of ['s1', 's2', 's3', 's4'])
      scans.insert({ ...base, id }, '2024-03-02T10:00:00.000Z');
    const analyse = (id: string, scanId: string, positive: boolean, at: string): void => {
      t.db
        .prepare(
          `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at)
           VALUES (?, ?, 'cpu', ?, ?, '{}', ?)`,
        )
        .run(id, scanId, positive ? 1 : 0, positive ? 1 : 0, at);
    };
    analyse('a1', 's1', true, '2024-03-03T00:00:00.000Z');
    // s2: positive first, negative on re-analysis: the latest verdict counts.
    analyse('a2', 's2', true, '2024-03-03T00:00:00.000Z');
    analyse('a3', 's2', false, '2024-03-04T00:00:00.000Z');
    analyse('a4', 's3', false, '2024-03-03T00:00:00.000Z');
    const stats = dashboard.stats(new Date('2024-03-15T12:00:00.000Z'));
    expect(stats).toMatchObject({
      totalScans: 4,
      analysedScans: 3,
      tumorsDetected: 1,
      tumorPercentage: 25,
    });
  });

  it('says 0 days ago for a scan from today', () => {
    scans.insert({ ...base, id: 's1' }, '2024-03-15T11:00:00.000Z');
    expect(dashboard.stats(new Date('2024-03-15T12:00:00.000Z')).lastScanDaysAgo).toBe(0);
  });
});
