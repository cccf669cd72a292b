import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../test-support/temp-db.js';
import { createPatientsRepo, type PatientFields, type PatientsRepo } from './patients-repo.js';

const NOW = '2024-03-01T08:00:00.000Z';
const fields = (name: string, mrn: string | null = null): PatientFields => ({
  name,
  mrn,
  birthDate: null,
  sex: null,
  notes: '',
});

describe('patients repo', () => {
  let t: TempDb;
  let repo: PatientsRepo;
  beforeEach(() => {
    t = openTempDb();
    repo = createPatientsRepo(t.db);
  });
  afterEach(() => t.dispose());

  it('finds patients by part of the name (any case) or of the MRN', () => {
    repo.insert('p1', fields('Smith, Anna', 'MRN-1001'), NOW);
    repo.insert('p2', fields('Jones, Bob', 'MRN-2002'), NOW);
    repo.insert('p3', fields('Smithers, Carl', null), NOW);
    expect(repo.list({ search: 'smith', page: 1, limit: 10 }).items.map((p) => p.id)).toEqual([
      'p1',
      'p3',
    ]);
    expect(repo.list({ search: '2002', page: 1, limit: 10 }).items.map((p) => p.id)).toEqual([
      'p2',
    ]);
    expect(repo.list({ search: ' smith ', page: 1, limit: 10 }).total).toBe(2);
    expect(repo.list({ search: '   ', page: 1, limit: 10 }).total).toBe(3);
    expect(repo.list({ search: 'nobody', page: 1, limit: 10 }).total).toBe(0);
  });

  it('treats %, _ and \\ in a search as literal text, not wildcards', () => {
    repo.insert('p1', fields('Rate 50% Smith', 'A_1'), NOW);
    repo.insert('p2', fields('Rate 500 Jones', 'AB1'), NOW);
    repo.insert('p3', fields('Back\\slash', null), NOW);
    const search = (s: string): string[] =>
      repo.list({ search: s, page: 1, limit: 10 }).items.map((p) => p.id);
    expect(search('50%')).toEqual(['p1']);
    expect(search('A_1')).toEqual(['p1']);
    expect(search('%')).toEqual(['p1']);
    expect(search('\\')).toEqual(['p3']);
  });

  it('pages a sorted list and reports total and totalPages', () => {
    for (let i = 1; i <= 7; i++) repo.insert(`p${i}`, fields(`Patient ${i}`), NOW);
    const page1 = repo.list({ page: 1, limit: 3 });
    const page3 = repo.list({ page: 3, limit: 3 });
    expect(page1).toMatchObject({ total: 7, page: 1, limit: 3, totalPages: 3 });
    expect(page1.items.map((p) => p.name)).toEqual(['Patient 1', 'Patient 2', 'Patient 3']);
    expect(page3.items.map((p) => p.name)).toEqual(['Patient 7']);
    expect(repo.list({ page: 4, limit: 3 }).items).toEqual([]);
    expect(repo.list({ search: 'none', page: 1, limit: 3 })).toMatchObject({
      total: 0,
      totalPages: 1,
    });
  });

  it('counts studies and scans per patient', () => {
    const { patientId } = insertPatientChain(t.db, 1);
    expect(repo.get(patientId)).toMatchObject({ studyCount: 1, scanCount: 1, mrn: 'MRN-1' });
  });

  it('deletes a patient with their studies, series, scans, files and instances', () => {
    const gone = insertPatientChain(t.db, 1);
    insertPatientChain(t.db, 2);
    expect(repo.scanIdsOf(gone.patientId)).toEqual(['scan-1']);
    expect(repo.remove(gone.patientId)).toBe(true);
    expect(repo.get(gone.patientId)).toBeUndefined();
    for (const table of ['patients', 'studies', 'series', 'scans', 'files', 'instances'])
      expect(countRows(t.db, table), table).toBe(1);
    expect(repo.remove(gone.patientId)).toBe(false);
  });
});
