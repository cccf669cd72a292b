import { describe, expect, it } from 'vitest';
import {
  ageOn,
  fileCountsOf,
  formatBytes,
  formatDate,
  formatDaysAgo,
  formatDimensions,
  formatEta,
  formatPercent,
  plural,
  statusLabel,
} from './format.js';

describe('formatDimensions', () => {
  it('shows a volume with its voxel spacing in mm', () => {
    expect(
      formatDimensions({ columns: 256, rows: 256, slices: 24, spacing: [0.9375, 0.9375, 5] }),
    ).toBe('256 × 256 × 24 (0.94 × 0.94 × 5.00 mm)');
  });

  it('shows a single image without slices or spacing', () => {
    expect(formatDimensions({ columns: 512, rows: 400, slices: 1, spacing: null })).toBe(
      '512 × 400',
    );
    expect(
      formatDimensions({ columns: 512, rows: 512, slices: 1, spacing: [0.5, 0.5, null] }),
    ).toBe('512 × 512 (0.50 × 0.50 mm)');
  });

  it('says nothing for an unknown size', () => {
    expect(formatDimensions({ columns: null, rows: null, slices: 0, spacing: null })).toBe('—');
  });
});

describe('formatDate', () => {
  it('keeps study dates and shows timestamps as local date and time', () => {
    expect(formatDate('2024-03-05')).toBe('2024-03-05');
    expect(formatDate(null)).toBe('—');
    expect(formatDate(new Date(2024, 2, 5, 14, 7).toISOString())).toBe('2024-03-05 14:07');
  });
});

describe('progress and ETA', () => {
  it('formats progress as a whole percentage, clamped', () => {
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatPercent(1.2)).toBe('100%');
    expect(formatPercent(-1)).toBe('0%');
  });

  it('formats the remaining time in words', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('1 s left');
    expect(formatEta(42)).toBe('42 s left');
    expect(formatEta(300)).toBe('5 min left');
    expect(formatEta(3900)).toBe('1 h 5 min left');
  });

  it('capitalises statuses', () => {
    expect(statusLabel('processing')).toBe('Processing');
  });
});

describe('sizes, counts and ages', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(500 * 1024 * 1024)).toBe('500 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('says how long ago in words', () => {
    expect(formatDaysAgo(null)).toBe('');
    expect(formatDaysAgo(0)).toBe('today');
    expect(formatDaysAgo(1)).toBe('yesterday');
    expect(formatDaysAgo(14)).toBe('14 days ago');
  });

  it('pluralises', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(3, 'study', 'studies')).toBe('3 studies');
  });

  it('reads file counts from an import stage', () => {
    expect(fileCountsOf('Importing file 3 of 10')).toEqual({ done: 3, total: 10 });
    expect(fileCountsOf('Finding files')).toBeNull();
    expect(fileCountsOf(null)).toBeNull();
  });

  it('computes an age from a birth date', () => {
    const today = new Date(2024, 2, 15);
    expect(ageOn('1980-03-15', today)).toBe(44);
    expect(ageOn('1980-03-16', today)).toBe(43);
    expect(ageOn(null, today)).toBeNull();
  });
});
