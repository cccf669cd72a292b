import { afterEach, describe, expect, it } from 'vitest';
import { insertPatientChain, openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 008: the SOP Instance UID of DICOM SEG segmentations', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const insert = (id: string, uid: string | null) =>
    t.db
      .prepare(
        `INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at, sop_instance_uid)
         VALUES (?, 'scan-1', 'file-1', '[1]', 'seg', 't', ?)`,
      )
      .run(id, uid);

  it('keeps segmentations written under version 7 and allows one row per SEG UID', () => {
    t = openTempDb(7);
    insertPatientChain(t.db, 1);
    t.db
      .prepare(
        `INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at)
         VALUES ('old', 'scan-1', 'file-1', '[1,2]', 'label.nii.gz', 't')`,
      )
      .run();
    migrate(t.db, { target: 8 });
    expect(t.db.prepare('SELECT labels, sop_instance_uid FROM segmentations').get()).toEqual({
      labels: '[1,2]',
      sop_instance_uid: null,
    });
    // NIfTI label maps have no UID: any number of them; a DICOM SEG's UID only once.
    insert('nifti-2', null);
    insert('seg-1', '1.2.3');
    expect(() => insert('seg-2', '1.2.3')).toThrow(/UNIQUE/);
  });
});
