import { join } from 'node:path';
import { openDatabase, type Db } from '../core/db/connection.js';
import { migrate } from '../core/db/migrate.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface TempDb {
  readonly db: Db;
  readonly file: string;
  readonly dir: string;
  /** Another connection to the same file, as a second process would have. */
  openAnother(): Db;
  dispose(): void;
}

/** A real SQLite file in a temp dir, migrated to `target` (all migrations by default; 0 for none). */
export function openTempDb(target?: number): TempDb {
  const dir = makeTempDir('neurosphere-db-');
  const file = join(dir, 'test.db');
  const db = openDatabase(file);
  const others: Db[] = [];
  if (target !== 0) migrate(db, target === undefined ? {} : { target });
  return {
    db,
    file,
    dir,
    openAnother() {
      const other = openDatabase(file);
      others.push(other);
      return other;
    },
    dispose() {
      for (const other of others) if (other.open) other.close();
      if (db.open) db.close();
      removeTempDir(dir);
    },
  };
}

/** Inserts a user row straight into the table, for schema tests. */
export function insertUserRow(db: Db, id: string, username: string, role = 'admin'): void {
  db.prepare(
    `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'scrypt$x', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
  ).run(id, username, username, role);
}

const T = '2024-01-01T00:00:00.000Z';

/** A patient with one study, series, scan, file and instance, inserted with plain SQL. */
export function insertPatientChain(db: Db, n: number): { patientId: string; fileId: string } {
  const id = (kind: string): string => `${kind}-${n}`;
  db.prepare(
    `INSERT INTO patients (id, mrn, name, birth_date, sex, created_at, updated_at) VALUES (?, ?, ?, '1970-01-01', 'F', ?, ?)`,
  ).run(id('patient'), `MRN-${n}`, `Patient ${n}`, T, T);
  db.prepare(
    `INSERT INTO studies (id, patient_id, study_instance_uid, study_date, created_at) VALUES (?, ?, ?, '2024-01-15', ?)`,
  ).run(id('study'), id('patient'), `1.2.3.${n}`, T);
  db.prepare(
    `INSERT INTO series (id, study_id, series_instance_uid, series_number, modality, created_at) VALUES (?, ?, ?, 1, 'MR', ?)`,
  ).run(id('series'), id('study'), `1.2.3.${n}.1`, T);
  db.prepare(
    `INSERT INTO scans (id, patient_id, study_id, series_id, kind, format, status, rows, columns, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'series', 'dicom', 'imported', 16, 16, ?, ?)`,
  ).run(id('scan'), id('patient'), id('study'), id('series'), T, T);
  db.prepare(
    `INSERT INTO files (id, sha256, size, mime_type, scan_id, created_at) VALUES (?, ?, 1024, 'application/dicom', ?, ?)`,
  ).run(id('file'), String(n).padStart(64, '0'), id('scan'), T);
  db.prepare(
    `INSERT INTO instances (id, series_id, sop_instance_uid, file_id) VALUES (?, ?, ?, ?)`,
  ).run(id('instance'), id('series'), `1.2.3.${n}.1.1`, id('file'));
  return { patientId: id('patient'), fileId: id('file') };
}

export function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}
