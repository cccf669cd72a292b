import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../test-support/test-core.js';
import { createJobsRepo } from './jobs-repo.js';

// A serve process killed by one hostile scan (out of memory, a native crash) must not pick the
// same analysis up again at its next start and die again: it fails it with the reason instead.
describe('an analysis interrupted by a crash', () => {
  let t: TestCore;
  beforeEach(() => {
    t = startTestCore({ runJobs: false });
  });
  afterEach(() => t.dispose());

  it('is failed with the reason at the next start, not resumed', () => {
    const repo = createJobsRepo(t.core.db);
    const now = '2024-03-01T07:00:00.000Z';
    repo.insert({
      id: 'analysis-1',
      type: 'analysis.run',
      payload: { scanId: '00000000-0000-4000-8000-000000000001' },
      createdBy: null,
      maxAttempts: 3,
      now,
    });
    // Claimed by a process that no longer exists: the one that crashed.
    repo.claim('analysis-1', `${hostname()}:999999`, now);
    expect(t.core.jobs.recoverInterrupted()).toBe(1);
    const job = repo.get('analysis-1');
    expect(job).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'INTERNAL' } });
    expect(job?.error?.message).toMatch(
      /stopped while this job was running.*not started again by itself, in case its input is what stopped Neurosphere.*Retry/,
    );
  });
});
