import { afterEach, describe, expect, it } from 'vitest';
import { insertPatientChain, openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { createDeidMappingRepo } from '../../deidentify/deid-mapping-repo.js';

describe('migration 015: de-identification mapping tables', () => {
  let temp: TempDb;
  afterEach(() => temp.dispose());

  it('keeps one secret, first-stored pseudonyms and UIDs, and unlinks a deleted patient', () => {
    temp = openTempDb();
    const { db } = temp;
    const repo = createDeidMappingRepo(db, () => '2024-03-01T08:00:00.000Z');
    const secret = repo.secret();
    expect(secret).toHaveLength(32);
    expect(repo.secret().equals(secret)).toBe(true);
    expect(() =>
      db
        .prepare("INSERT INTO deid_secret (id, secret, created_at) VALUES (2, zeroblob(32), 't')")
        .run(),
    ).toThrow(/CHECK/);

    const { patientId } = insertPatientChain(db, 1);
    const first = repo.pseudonym(
      'key-1',
      { pseudonymId: 'ANON-1', pseudonymName: 'ANONYMOUS^1', dateOffsetDays: -400 },
      patientId,
    );
    const again = repo.pseudonym(
      'key-1',
      { pseudonymId: 'ANON-2', pseudonymName: 'ANONYMOUS^2', dateOffsetDays: -9 },
      null,
    );
    expect(again).toEqual(first);
    expect(first).toEqual({
      pseudonymId: 'ANON-1',
      pseudonymName: 'ANONYMOUS^1',
      dateOffsetDays: -400,
    });

    repo.saveUids([
      ['1.2.3', '2.25.1'],
      ['1.2.3', '2.25.2'],
    ]);
    expect(repo.replacementUid('1.2.3')).toBe('2.25.1');

    db.prepare('DELETE FROM patients WHERE id = ?').run(patientId);
    expect(
      db.prepare("SELECT patient_id FROM deid_pseudonyms WHERE source_key = 'key-1'").get(),
    ).toEqual({ patient_id: null });
  });
});
