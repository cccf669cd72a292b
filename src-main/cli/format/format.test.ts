import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { formatImportReport } from './import-report.js';
import { createProgressDisplay, formatEta, formatProgress } from './progress.js';
import { formatSpacing } from './scan-summary.js';
import { formatTable } from './table.js';

const job = (progress: number, stage: string | null, etaSeconds: number | null): Job => ({
  id: '00000000-0000-4000-8000-000000000001',
  type: 'import.files',
  status: 'processing',
  progress,
  stage,
  etaSeconds,
  error: null,
  attempts: 1,
  maxAttempts: 3,
  createdBy: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  updatedAt: '2024-01-01T00:00:00.000Z',
  payload: {},
  result: null,
});

describe('CLI formatting', () => {
  it('aligns table columns without trailing blanks', () => {
    expect(
      formatTable(
        ['ID', 'NAME'],
        [
          ['1', 'Ann'],
          ['22', ''],
        ],
      ),
    ).toBe('ID  NAME\n1   Ann\n22\n');
  });

  it('writes spacing in mm with unknowns marked', () => {
    expect(formatSpacing([0.8, 0.9, 5])).toBe('0.8×0.9×5 mm');
    expect(formatSpacing([0.4688, 0.4688, null])).toBe('0.469×0.469×? mm');
    expect(formatSpacing(null)).toBe('-');
  });

  it('shows stage, percent and ETA', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('about 1 s left');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatProgress(job(0.1, 'Importing file 40 of 400', 9))).toBe(
      'Importing file 40 of 400 · 10% · about 9 s left',
    );
    expect(formatProgress(job(1, 'Importing file 400 of 400', 0))).toBe(
      'Importing file 400 of 400 · 100%',
    );
  });

  it('rewrites one line on a terminal and writes steps to a pipe', () => {
    let tty = '';
    const onTty = createProgressDisplay({ isTTY: true, write: (t: string) => (tty += t) });
    onTty.show('Import', job(0.5, 'Half', null));
    onTty.finish();
    expect(tty).toBe('\rImport: Half · 50%\x1b[K\n');

    let pipe = '';
    const onPipe = createProgressDisplay({ isTTY: false, write: (t: string) => (pipe += t) });
    for (const progress of [0.01, 0.02, 0.06, 0.07])
      onPipe.show('Import', job(progress, 'S', null));
    expect(pipe).toBe('Import: S · 1%\nImport: S · 6%\n');
  });

  it('lists every file that was not imported with its reason', () => {
    const text = formatImportReport({
      total: 3,
      imported: 1,
      duplicates: 1,
      rejected: 1,
      scanIds: ['00000000-0000-4000-8000-000000000002'],
      items: [
        { path: '/in/a.dcm', status: 'imported' },
        { path: '/in/b.dcm', status: 'duplicate', code: 'DUPLICATE', reason: 'Already imported' },
        { path: '/in/c.txt', status: 'rejected', code: 'UNSUPPORTED_FORMAT', reason: 'Not DICOM' },
      ],
    });
    expect(text).toBe(
      '1 imported, 1 duplicate, 1 rejected (3 files) into 1 scan.\n' +
        'Not imported:\n' +
        '  duplicate  /in/b.dcm\n' +
        '             Already imported\n' +
        '  rejected   /in/c.txt\n' +
        '             UNSUPPORTED_FORMAT: Not DICOM\n',
    );
  });
});
