import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors.js';
import { describeStartupFailure, parseDataDirFlag } from './launch-options.js';

describe('parseDataDirFlag', () => {
  it('reads both spellings among Electron’s own arguments', () => {
    expect(parseDataDirFlag(['/usr/bin/electron', '.', '--data-dir', '/srv/ns'])).toBe('/srv/ns');
    expect(parseDataDirFlag(['/opt/Neurosphere/neurosphere', '--data-dir=/srv/ns'])).toBe(
      '/srv/ns',
    );
    expect(parseDataDirFlag(['electron', '--no-sandbox', '.'])).toBeUndefined();
  });

  it('ignores a flag without a value', () => {
    expect(parseDataDirFlag(['electron', '--data-dir'])).toBeUndefined();
    expect(parseDataDirFlag(['electron', '--data-dir', '--inspect'])).toBeUndefined();
    expect(parseDataDirFlag(['electron', '--data-dir='])).toBeUndefined();
  });
});

describe('describeStartupFailure', () => {
  it('shows an expected failure’s own message and the data folder', () => {
    const failure = describeStartupFailure(
      new AppError('DATABASE_MISMATCH', 'This database was written by a newer version.'),
      '/srv/ns',
    );
    expect(failure.title).toBe('Neurosphere cannot start');
    expect(failure.message).toContain('This database was written by a newer version.');
    expect(failure.message).toContain('/srv/ns');
  });

  it('explains an unexpected failure in words', () => {
    const failure = describeStartupFailure(new Error('EACCES: permission denied'), '/srv/ns');
    expect(failure.message).toContain('EACCES: permission denied');
    expect(failure.message).toContain('writable');
  });
});
