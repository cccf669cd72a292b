import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 006: segmentations and attachments', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps the scans written under version 5 and ties segmentations and meshes to them', () => {
    t = openTempDb(5);
    insertPatientChain(t.db, 1);
    t.db
      .prepare(
        "UPDATE scans SET dim_x = 16, dim_y = 16, dim_z = 1, warnings = '[\"w\"]' WHERE id = 'scan-1'",
      )
      .run();
    migrate(t.db, { target: 6 });
    expect(t.db.prepare('SELECT dim_x, warnings FROM scans').get()).toEqual({
      dim_x: 16,
      warnings: '["w"]',
    });
    t.db
      .prepare(
        `INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at) VALUES ('s1', 'scan-1', 'file-1', '[1,2,4]', 'seg.nii', 't')`,
      )
      .run();
    t.db
      .prepare(
        `INSERT INTO attachments (id, scan_id, file_id, kind, triangle_count, bounding_box, created_at)
         VALUES ('a1', 'scan-1', 'file-1', 'mesh', 12, '[[0,0,0],[1,1,1]]', 't')`,
      )
      .run();
    expect(() =>
      t.db
        .prepare(
          `INSERT INTO attachments (id, scan_id, file_id, kind, triangle_count, bounding_box, created_at)
           VALUES ('a2', 'scan-1', 'file-1', 'video', 1, '[]', 't')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    t.db.prepare("DELETE FROM scans WHERE id = 'scan-1'").run();
    expect(countRows(t.db, 'segmentations')).toBe(0);
    expect(countRows(t.db, 'attachments')).toBe(0);
  });
});
