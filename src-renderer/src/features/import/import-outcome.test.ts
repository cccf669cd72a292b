import { describe, expect, it } from 'vitest';
import { importOutcome } from './import-outcome.js';

const done = { status: 'completed' as const };
const report = (imported: number, duplicates: number, rejected: number) => ({
  total: imported + duplicates + rejected,
  imported,
  duplicates,
  rejected,
});

describe('import outcome', () => {
  it('is a success only when something was imported', () => {
    expect(importOutcome(done, report(3, 1, 1), 0)).toMatchObject({ tone: 'success' });
  });

  it('warns in amber, with the reason, when nothing new came in', () => {
    expect(importOutcome(done, report(0, 6, 0), 0)).toEqual({
      tone: 'warning',
      title: 'Nothing new was imported',
      explanation: 'All 6 files were already imported (duplicates): nothing new was added.',
    });
    expect(importOutcome(done, report(0, 1, 0), 0).explanation).toBe(
      'The file was already imported (duplicates): nothing new was added.',
    );
    expect(importOutcome(done, report(0, 0, 2), 1).explanation).toBe(
      'All 3 files could not be read: see the reasons below.',
    );
    expect(importOutcome(done, report(0, 2, 1), 0).explanation).toBe(
      '2 files were already imported and 1 file could not be read: nothing new was added.',
    );
    expect(importOutcome(done, report(0, 0, 0), 0).explanation).toMatch(/No files were found/);
  });

  it('names cancelled, failed and never-started imports', () => {
    expect(importOutcome({ status: 'cancelled' }, report(2, 0, 0), 0).tone).toBe('cancelled');
    expect(importOutcome({ status: 'failed' }, null, 0).tone).toBe('failure');
    expect(importOutcome(null, null, 2)).toMatchObject({
      tone: 'warning',
      title: 'Nothing was imported',
    });
  });
});
