import type {
  MeasuredValue,
  MeasurementKindName,
  SavedMeasurement,
} from '../../../src-shared/contract/measurements.js';
import type { Db } from '../db/connection.js';

/** What is stored of a measurement; `patientPoints` is part of `measured` (derived, like values). */
export interface MeasurementRecord {
  id: string;
  scanId: string;
  frame: number;
  kind: MeasurementKindName;
  points: SavedMeasurement['points'];
  patientPoints: SavedMeasurement['patientPoints'];
  values: MeasuredValue[];
  label: string;
  userId: string | null;
  author: string;
  createdAt: string;
  updatedAt: string;
}

interface MeasurementRow {
  id: string;
  scan_id: string;
  frame: number;
  kind: MeasurementKindName;
  points: string;
  measured: string;
  label: string;
  user_id: string | null;
  author: string;
  created_at: string;
  updated_at: string;
}

interface Measured {
  values: MeasuredValue[];
  patientPoints: SavedMeasurement['patientPoints'];
}

function toRecord(row: MeasurementRow): MeasurementRecord {
  const measured = JSON.parse(row.measured) as Measured;
  return {
    id: row.id,
    scanId: row.scan_id,
    frame: row.frame,
    kind: row.kind,
    points: JSON.parse(row.points) as SavedMeasurement['points'],
    patientPoints: measured.patientPoints,
    values: measured.values,
    label: row.label,
    userId: row.user_id,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The contract's view of a record (the user id stays inside the core). */
export function toSavedMeasurement(record: MeasurementRecord): SavedMeasurement {
  const { userId: _userId, ...saved } = record;
  return saved;
}

/** Saved measurements and annotations of scans. Writes go through the clinical writer. */
export function createMeasurementsRepo(db: Db) {
  const byId = db.prepare<[string], MeasurementRow>('SELECT * FROM measurements WHERE id = ?');
  const byScan = db.prepare<[string], MeasurementRow>(
    'SELECT * FROM measurements WHERE scan_id = ? ORDER BY frame, created_at, id',
  );
  const insertRow = db.prepare(
    `INSERT INTO measurements (id, scan_id, frame, kind, points, measured, label, user_id, author, created_at, updated_at)
     VALUES (@id, @scanId, @frame, @kind, @points, @measured, @label, @userId, @author, @createdAt, @updatedAt)`,
  );
  const updateRow = db.prepare(
    `UPDATE measurements SET points = @points, measured = @measured, label = @label, updated_at = @updatedAt
     WHERE id = @id`,
  );
  const deleteRow = db.prepare('DELETE FROM measurements WHERE id = ?');

  const columns = (record: MeasurementRecord) => ({
    ...record,
    points: JSON.stringify(record.points),
    measured: JSON.stringify({ values: record.values, patientPoints: record.patientPoints }),
  });

  return {
    get(id: string): MeasurementRecord | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    listByScan(scanId: string): MeasurementRecord[] {
      return byScan.all(scanId).map(toRecord);
    },
    insert(record: MeasurementRecord): MeasurementRecord {
      insertRow.run(columns(record));
      return record;
    },
    update(record: MeasurementRecord): MeasurementRecord {
      updateRow.run(columns(record));
      return record;
    },
    remove(id: string): boolean {
      return deleteRow.run(id).changes > 0;
    },
  };
}
export type MeasurementsRepo = ReturnType<typeof createMeasurementsRepo>;
