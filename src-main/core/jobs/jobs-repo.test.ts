import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createJobsRepo, type JobsRepo } from './jobs-repo.js';

const NOW = '2024-03-01T08:00:00.000Z';

describe('jobs repo', () => {
  let t: TempDb;
  let repo: JobsRepo;
  const insert = (id: string, now = NOW): void => {
    repo.insert({
      id,
      type: 'import.files',
      payload: { paths: ['/x'] },
      createdBy: 'admin',
      maxAttempts: 3,
      now,
    });
  };
  beforeEach(() => {
    t = openTempDb();
    repo = createJobsRepo(t.db);
  });
  afterEach(() => t.dispose());

  it('lets exactly one of two processes claim a pending job', () => {
    insert('j1');
    const other = createJobsRepo(t.openAnother());
    const claims = [repo.claim('j1', 'host:1', NOW), other.claim('j1', 'host:2', NOW)];
    expect(claims).toEqual([true, false]);
    expect(other.get('j1')).toMatchObject({ status: 'processing', attempts: 1, startedAt: NOW });
    expect(repo.listProcessing()).toEqual([expect.objectContaining({ owner: 'host:1' })]);
  });

  it('does not claim a job that was cancelled or finished', () => {
    insert('j1');
    repo.finish('j1', 'cancelled', { code: 'CANCELLED', message: 'x' }, NOW);
    expect(repo.claim('j1', 'host:1', NOW)).toBe(false);
    expect(repo.get('j1')?.status).toBe('cancelled');
  });

  it('hands out pending jobs oldest first', () => {
    insert('j2', '2024-03-01T08:00:02.000Z');
    insert('j1', '2024-03-01T08:00:01.000Z');
    insert('j3', '2024-03-01T08:00:03.000Z');
    expect(repo.nextPending(2).map((j) => j.id)).toEqual(['j1', 'j2']);
  });

  it('keeps progress within 0..1 and sets it to 1 on completion', () => {
    insert('j1');
    repo.claim('j1', 'host:1', NOW);
    repo.progress('j1', { progress: 7, stage: 'x', etaSeconds: 3 }, NOW);
    expect(repo.get('j1')?.progress).toBe(1);
    repo.progress('j1', { progress: 0.25, stage: 'x', etaSeconds: 3 }, NOW);
    repo.finish('j1', 'completed', null, NOW);
    expect(repo.get('j1')).toMatchObject({ status: 'completed', progress: 1, etaSeconds: null });
  });

  it('resets a failed job for retry, clearing a cancel request', () => {
    insert('j1');
    repo.claim('j1', 'host:1', NOW);
    repo.requestCancel('j1', NOW);
    repo.finish('j1', 'failed', { code: 'INTERNAL', message: 'boom' }, NOW);
    repo.resetForRetry('j1', NOW);
    expect(repo.get('j1')).toMatchObject({
      status: 'pending',
      error: null,
      attempts: 0,
      progress: 0,
    });
    expect(repo.isCancelRequested('j1')).toBe(false);
  });
});
