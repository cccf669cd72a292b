import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createPatientsRepo } from '../patients/patients-repo.js';
import { createScansRepo, type NewScan, type ScanQuery, type ScansRepo } from './scans-repo.js';

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
const query = (q: Partial<ScanQuery> = {}): ScanQuery => ({
  sort: 'createdAt',
  order: 'desc',
  page: 1,
  limit: 50,
  ...q,
});

describe('scans repo list', () => {
  let t: TempDb;
  let scans: ScansRepo;
  const ids = (q: Partial<ScanQuery>): string[] => scans.list(query(q)).items.map((s) => s.id);

  beforeEach(() => {
    t = openTempDb();
    scans = createScansRepo(t.db);
    const patients = createPatientsRepo(t.db);
    const p = (id: string, name: string, mrn: string): void => {
      patients.insert(
        id,
        { name, mrn, birthDate: null, sex: null, notes: '' },
        '2024-01-01T00:00:00.000Z',
      );
    };
    p('pa', 'Adams, Ann', 'MRN-100');
    p('pb', 'Brown, Ben', 'MRN-200');
    // s1..s4 imported on consecutive days; s1 and s3 carry an acquisition date.
    const add = (id: string, day: number, extra: Partial<NewScan>): void => {
      scans.insert({ ...base, id, ...extra }, `2024-02-0${day}T10:00:00.000Z`);
    };
    add('s1', 1, {
      patientId: 'pb',
      modality: 'MR',
      description: 'AX FLAIR',
      acquiredAt: '2023-12-24',
    });
    add('s2', 2, { patientId: 'pa', modality: 'CT', description: 'HEAD' });
    add('s3', 3, {
      patientId: 'pa',
      modality: 'MR',
      description: 'T1 post',
      acquiredAt: '2024-02-10',
    });
    add('s4', 4, { description: 'unassigned.png' });
    scans.setStatus('s2', 'completed', '2024-02-05T00:00:00.000Z');
    scans.setStatus('s3', 'failed', '2024-02-05T00:00:00.000Z');
  });
  afterEach(() => t.dispose());

  it('filters by status', () => {
    expect(ids({ status: 'completed' })).toEqual(['s2']);
    expect(ids({ status: 'imported' })).toEqual(['s4', 's1']);
    expect(ids({ status: 'processing' })).toEqual([]);
  });

  it('searches patient name, MRN and description', () => {
    expect(ids({ search: 'adams' })).toEqual(['s3', 's2']);
    expect(ids({ search: 'MRN-200' })).toEqual(['s1']);
    expect(ids({ search: 'flair' })).toEqual(['s1']);
    expect(ids({ search: '  unassigned  ' })).toEqual(['s4']);
    expect(ids({ search: 'adams', status: 'failed' })).toEqual(['s3']);
  });

  it('filters by date, using the acquisition date where known and else the import date', () => {
    expect(ids({ from: '2024-01-01' })).toEqual(['s4', 's3', 's2']);
    expect(ids({ to: '2023-12-31' })).toEqual(['s1']);
    expect(ids({ from: '2024-02-02', to: '2024-02-04' })).toEqual(['s4', 's2']);
    expect(ids({ from: '2024-02-10', to: '2024-02-10' })).toEqual(['s3']);
  });

  it('sorts by each column in both directions, unknown values last', () => {
    expect(ids({ sort: 'createdAt', order: 'asc' })).toEqual(['s1', 's2', 's3', 's4']);
    expect(ids({ sort: 'acquiredAt', order: 'desc' }).slice(0, 2)).toEqual(['s3', 's1']);
    expect(ids({ sort: 'acquiredAt', order: 'asc' }).slice(0, 2)).toEqual(['s1', 's3']);
    expect(ids({ sort: 'patientName', order: 'asc' })).toEqual(['s2', 's3', 's1', 's4']);
    expect(ids({ sort: 'patientName', order: 'desc' })).toEqual(['s1', 's3', 's2', 's4']);
    expect(ids({ sort: 'modality', order: 'asc' })).toEqual(['s2', 's1', 's3', 's4']);
  });

  it('pages with totals that match the filter', () => {
    const page = scans.list(query({ sort: 'createdAt', order: 'asc', limit: 3, page: 2 }));
    expect(page).toMatchObject({ total: 4, page: 2, limit: 3, totalPages: 2 });
    expect(page.items.map((s) => s.id)).toEqual(['s4']);
    expect(scans.list(query({ search: 'adams', limit: 1 }))).toMatchObject({
      total: 2,
      totalPages: 2,
    });
  });

  it('returns the patient name and MRN with each scan', () => {
    expect(scans.get('s1')).toMatchObject({
      patientName: 'Brown, Ben',
      patientMrn: 'MRN-200',
      slices: 1,
      spacing: null,
    });
  });
});
