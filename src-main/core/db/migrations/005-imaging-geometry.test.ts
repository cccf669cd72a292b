import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 005: scan geometry, NIfTI format, frame order', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('rebuilds scans keeping every row, its files and instances, and the indexes', () => {
    t = openTempDb(4);
    insertPatientChain(t.db, 1);
    insertPatientChain(t.db, 2);
    t.db.prepare("UPDATE scans SET spacing_x = 0.5, spacing_z = 3 WHERE id = 'scan-1'").run();
    migrate(t.db, { target: 5 });
    for (const table of ['patients', 'studies', 'series', 'scans', 'files', 'instances'])
      expect(countRows(t.db, table), table).toBe(2);
    expect(
      t.db
        .prepare(
          "SELECT spacing_x, spacing_z, warnings, dim_z, origin FROM scans WHERE id = 'scan-1'",
        )
        .get(),
    ).toEqual({ spacing_x: 0.5, spacing_z: 3, warnings: '[]', dim_z: null, origin: null });
    const indexes = t.db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'scans' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
    expect(indexes).toEqual([
      { name: 'scans_created' },
      { name: 'scans_patient' },
      { name: 'scans_status' },
    ]);
    expect(t.db.pragma('foreign_key_check')).toEqual([]);
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('still cascades a deleted patient to scans and files after the rebuild', () => {
    t = openTempDb(4);
    insertPatientChain(t.db, 1);
    migrate(t.db, { target: 5 });
    t.db
      .prepare(
        `INSERT INTO scan_frames (scan_id, frame_index, file_id, frame_number) VALUES ('scan-1', 0, 'file-1', 0)`,
      )
      .run();
    t.db.prepare("DELETE FROM patients WHERE id = 'patient-1'").run();
    for (const table of ['scans', 'files', 'instances', 'scan_frames'])
      expect(countRows(t.db, table), table).toBe(0);
  });

  it("accepts format 'nifti' and kind 'volume', still refuses unknown ones", () => {
    t = openTempDb(5);
    const insert = (kind: string, format: string) =>
      t.db
        .prepare(
          `INSERT INTO scans (id, kind, format, status, created_at, updated_at) VALUES (?, ?, ?, 'imported', 't', 't')`,
        )
        .run(`${kind}-${format}`, kind, format);
    insert('volume', 'nifti');
    expect(() => insert('volume', 'gif')).toThrow(/CHECK/);
    expect(() => insert('mesh', 'nifti')).toThrow(/CHECK/);
  });
});
