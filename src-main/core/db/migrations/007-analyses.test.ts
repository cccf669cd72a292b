import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertPatientChain,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 007: analyses', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const insert = (tumour: number | string, count = 1): void => {
    t.db
      .prepare(
        `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at)
         VALUES (?, 'scan-1', 'cpu', ?, ?, '{}', 't')`,
      )
      .run(`a-${Math.random()}`, tumour, count);
  };

  it('keeps the scans written under version 6 and stores analyses of them', () => {
    t = openTempDb(6);
    insertPatientChain(t.db, 1);
    migrate(t.db, { target: 7 });
    expect(countRows(t.db, 'scans')).toBe(1);
    insert(1, 2);
    expect(t.db.prepare('SELECT tumor_detected, detection_count FROM analyses').get()).toEqual({
      tumor_detected: 1,
      detection_count: 2,
    });
  });

  it('rejects impossible values and goes away with its scan', () => {
    t = openTempDb(7);
    insertPatientChain(t.db, 1);
    expect(() => insert(2)).toThrow(/CHECK/);
    expect(() => insert('yes')).toThrow();
    expect(() => insert(1, -1)).toThrow(/CHECK/);
    insert(0, 0);
    t.db.prepare("DELETE FROM scans WHERE id = 'scan-1'").run();
    expect(countRows(t.db, 'analyses')).toBe(0);
  });
});
