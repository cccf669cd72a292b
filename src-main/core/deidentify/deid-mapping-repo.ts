import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';

export interface PseudonymRow {
  pseudonymId: string;
  pseudonymName: string;
  dateOffsetDays: number;
}

/**
 * The local re-identification tables of migration 015: the HMAC secret, patient pseudonyms and
 * UID replacements. Rows are only added, never changed: the first mapping of a patient or a UID
 * is the one every later export reuses.
 */
export function createDeidMappingRepo(db: Db, now: () => string) {
  const selectSecret = db.prepare<[], { secret: Buffer }>(
    'SELECT secret FROM deid_secret WHERE id = 1',
  );
  const insertSecret = db.prepare(
    'INSERT OR IGNORE INTO deid_secret (id, secret, created_at) VALUES (1, ?, ?)',
  );
  const selectPseudonym = db.prepare<
    [string],
    { pseudonym_id: string; pseudonym_name: string; date_offset_days: number }
  >(
    'SELECT pseudonym_id, pseudonym_name, date_offset_days FROM deid_pseudonyms WHERE source_key = ?',
  );
  const insertPseudonym = db.prepare(
    `INSERT OR IGNORE INTO deid_pseudonyms
       (source_key, pseudonym_id, pseudonym_name, date_offset_days, patient_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const selectUid = db.prepare<[string], { replacement_uid: string }>(
    'SELECT replacement_uid FROM deid_uids WHERE original_uid = ?',
  );
  const insertUid = db.prepare(
    'INSERT OR IGNORE INTO deid_uids (original_uid, replacement_uid, created_at) VALUES (?, ?, ?)',
  );
  const insertUids = db.transaction(
    (pairs: ReadonlyArray<readonly [string, string]>, at: string) => {
      for (const [original, replacement] of pairs) insertUid.run(original, replacement, at);
    },
  );
  const patientExists = db.prepare<[string], { id: string }>(
    'SELECT id FROM patients WHERE id = ?',
  );

  return {
    /** This data dir's de-identification key, made on first use. */
    secret(): Buffer {
      const row = selectSecret.get();
      if (row !== undefined) return row.secret;
      insertSecret.run(randomBytes(32), now());
      return selectSecret.get()!.secret;
    },
    /** The stored pseudonym of a source patient, or the proposed one stored as the first. */
    pseudonym(sourceKey: string, proposed: PseudonymRow, patientId: string | null): PseudonymRow {
      const known = selectPseudonym.get(sourceKey);
      if (known === undefined) {
        const link =
          patientId !== null && patientExists.get(patientId) !== undefined ? patientId : null;
        insertPseudonym.run(
          sourceKey,
          proposed.pseudonymId,
          proposed.pseudonymName,
          proposed.dateOffsetDays,
          link,
          now(),
        );
      }
      const row = selectPseudonym.get(sourceKey)!;
      return {
        pseudonymId: row.pseudonym_id,
        pseudonymName: row.pseudonym_name,
        dateOffsetDays: row.date_offset_days,
      };
    },
    /** The stored replacement of a UID, if any. */
    replacementUid(original: string): string | undefined {
      return selectUid.get(original)?.replacement_uid;
    },
    /** Stores new UID replacements in one transaction (first stored wins). */
    saveUids(pairs: ReadonlyArray<readonly [string, string]>): void {
      if (pairs.length > 0) insertUids(pairs, now());
    },
  };
}
export type DeidMappingRepo = ReturnType<typeof createDeidMappingRepo>;
