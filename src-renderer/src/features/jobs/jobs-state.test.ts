import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../src-shared/contract/entities.js';
import { canRetryJob, importedScanIds, isJobActive, jobSubject, mergeJobs } from './jobs-state.js';

function job(id: string, createdAt: string, updatedAt: string, progress = 0): Job {
  return {
    id,
    type: 'import.files',
    status: 'processing',
    priority: 'MEDIUM',
    progress,
    stage: null,
    etaSeconds: null,
    error: null,
    attempts: 1,
    maxAttempts: 3,
    createdBy: 'admin',
    createdAt,
    startedAt: createdAt,
    finishedAt: null,
    updatedAt,
    payload: { paths: ['/x'] },
    result: null,
  };
}

const T1 = '2025-01-01T10:00:00.000Z';
const T2 = '2025-01-01T10:00:05.000Z';
const T3 = '2025-01-01T10:00:09.000Z';

describe('mergeJobs', () => {
  it('adds new jobs newest first', () => {
    const merged = mergeJobs([job('a', T1, T1)], [job('b', T2, T2)]);
    expect(merged.map((j) => j.id)).toEqual(['b', 'a']);
  });

  it('replaces a job with a newer snapshot (a live progress event)', () => {
    const merged = mergeJobs([job('a', T1, T1, 0.1)], [job('a', T1, T2, 0.5)]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.progress).toBe(0.5);
  });

  it('keeps the newer snapshot when a slow list load arrives after an event', () => {
    const afterEvent = mergeJobs([], [job('a', T1, T3, 0.9)]);
    const afterLoad = mergeJobs(afterEvent, [job('a', T1, T2, 0.4)]);
    expect(afterLoad[0]?.progress).toBe(0.9);
  });

  it('keeps at most `limit` jobs', () => {
    const merged = mergeJobs([job('a', T1, T1), job('b', T2, T2)], [job('c', T3, T3)], 2);
    expect(merged.map((j) => j.id)).toEqual(['c', 'b']);
  });
});

describe('job actions', () => {
  it('offers cancel for active jobs and retry for finished unsuccessful ones', () => {
    expect(isJobActive({ status: 'pending' })).toBe(true);
    expect(isJobActive({ status: 'completed' })).toBe(false);
    expect(canRetryJob({ status: 'failed' })).toBe(true);
    expect(canRetryJob({ status: 'cancelled' })).toBe(true);
    expect(canRetryJob({ status: 'processing' })).toBe(false);
  });
});

describe('jobSubject', () => {
  it('names what a job works on', () => {
    expect(jobSubject({ type: 'import.files', payload: { paths: ['/media/cd/DICOM'] } })).toEqual({
      text: 'DICOM',
      scanId: null,
    });
    expect(
      jobSubject({ type: 'import.files', payload: { paths: ['/a/x.png', '/a/y.png'] } }).text,
    ).toBe('x.png and 1 more');
    expect(
      jobSubject({
        type: 'import.files',
        payload: { paths: ['/data/uploads/0c1d2e3f-1111-4222-8333-444455556666/files'] },
      }).text,
    ).toBe('Files uploaded from this browser');
    expect(
      jobSubject({
        type: 'reading.run',
        payload: {
          scanId: 's-2',
          kind: 'expert',
          priority: 'HIGH',
          notes: '',
          includeSuggestions: true,
        },
      }),
    ).toEqual({ text: 'Expert X-ray reading of a scan', scanId: 's-2' });
    expect(jobSubject({ type: 'analysis.run', payload: { scanId: 's-1' } })).toEqual({
      text: 'Tumour analysis of a scan',
      scanId: 's-1',
    });
    expect(jobSubject({ type: 'import.files', payload: { paths: [] } }).text).toBe('Import');
  });
});

describe('importedScanIds', () => {
  it('reads the scans from an import report and ignores anything else', () => {
    expect(importedScanIds({ type: 'import.files', result: { scanIds: ['a', 'b', 3] } })).toEqual([
      'a',
      'b',
    ]);
    expect(importedScanIds({ type: 'import.files', result: null })).toEqual([]);
    expect(importedScanIds({ type: 'import.files', result: { scanIds: 'a' } })).toEqual([]);
    expect(importedScanIds({ type: 'analysis.run', result: { scanIds: ['a'] } })).toEqual([]);
  });
});
