import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../events.js';
import { fixedClock } from '../platform/clock.js';
import { sequentialIds } from '../platform/ids.js';
import { memoryLogger } from '../platform/logger.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import type { Job } from '../../../src-shared/contract/entities.js';
import { writeBatchMeta } from './batch-meta.js';
import { parseUploadName } from './upload-name.js';
import { createUploadService, KEEP_FAILED_MS } from './upload-service.js';

const NOW = new Date('2024-03-01T12:00:00.000Z');

function job(id: string, status: Job['status'], finishedAt: string | null): Job {
  return {
    id,
    type: 'import.files',
    status,
    priority: 'MEDIUM',
    progress: 1,
    stage: null,
    etaSeconds: null,
    error: null,
    attempts: 1,
    maxAttempts: 3,
    createdBy: null,
    createdAt: finishedAt ?? NOW.toISOString(),
    startedAt: null,
    finishedAt,
    updatedAt: finishedAt ?? NOW.toISOString(),
    payload: { paths: ['/x'] },
    result: null,
  };
}

describe('parseUploadName', () => {
  it('keeps relative paths and refuses anything that could leave the batch', () => {
    expect(parseUploadName('CD/DICOM/IM1')).toEqual(['CD', 'DICOM', 'IM1']);
    for (const name of [
      '',
      '/abs',
      '../x',
      'a/../b',
      'a//b',
      'a\\b',
      'a:b',
      'x\u0000',
      'dot.',
      'a/ ',
    ]) {
      expect(() => parseUploadName(name), JSON.stringify(name)).toThrow(/not allowed/);
    }
    expect(() => parseUploadName('a/'.repeat(40) + 'b')).toThrow(/too deep/);
  });
});

describe('upload staging clean-up', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir('neurosphere-uploads-');
  });
  afterEach(() => removeTempDir(root));

  async function stage(id: string, jobId: string | null): Promise<string> {
    const dir = join(root, id);
    mkdirSync(join(dir, 'files'), { recursive: true });
    writeFileSync(join(dir, 'files', 'a.dcm'), 'x');
    await writeBatchMeta(dir, { owner: 'user:1', createdAt: NOW.toISOString(), jobId });
    return dir;
  }

  it('removes finished and orphaned batches at start-up, keeps those a Retry still needs', async () => {
    const jobs = new Map<string, Job>([
      ['done', job('done', 'completed', NOW.toISOString())],
      ['running', job('running', 'processing', null)],
      [
        'failed-recently',
        job('failed-recently', 'failed', new Date(NOW.getTime() - 1000).toISOString()),
      ],
      [
        'failed-long-ago',
        job(
          'failed-long-ago',
          'cancelled',
          new Date(NOW.getTime() - KEEP_FAILED_MS - 1).toISOString(),
        ),
      ],
    ]);
    const dirs = {
      uncommitted: await stage('b-uncommitted', null),
      done: await stage('b-done', 'done'),
      running: await stage('b-running', 'running'),
      recent: await stage('b-recent', 'failed-recently'),
      old: await stage('b-old', 'failed-long-ago'),
      unknownJob: await stage('b-unknown', 'gone'),
    };
    mkdirSync(join(root, 'b-no-meta'));
    const service = createUploadService({
      rootDir: root,
      maxFileBytes: 1024,
      ids: sequentialIds(),
      clock: fixedClock(NOW),
      logger: memoryLogger(),
      events: createEventBus(),
      jobs: {
        enqueue: () => {
          throw new Error('not used');
        },
        get: (id) => {
          const found = jobs.get(id);
          if (found === undefined) throw new Error('no such job');
          return found;
        },
      },
    });
    await service.sweep();
    expect(existsSync(dirs.uncommitted)).toBe(false);
    expect(existsSync(dirs.done)).toBe(false);
    expect(existsSync(dirs.old)).toBe(false);
    expect(existsSync(dirs.unknownJob)).toBe(false);
    expect(existsSync(join(root, 'b-no-meta'))).toBe(false);
    expect(existsSync(dirs.running)).toBe(true);
    expect(existsSync(dirs.recent)).toBe(true);
    service.close();
  });

  it('removes a kept batch once its job completes (a resumed import after a restart)', async () => {
    const events = createEventBus();
    const dir = await stage('b-resumed', 'resumed');
    const service = createUploadService({
      rootDir: root,
      maxFileBytes: 1024,
      ids: sequentialIds(),
      clock: fixedClock(NOW),
      logger: memoryLogger(),
      events,
      jobs: {
        enqueue: () => {
          throw new Error('not used');
        },
        get: () => job('resumed', 'processing', null),
      },
    });
    await service.sweep();
    expect(existsSync(dir)).toBe(true);
    events.emit('jobs.updated', { job: job('resumed', 'completed', NOW.toISOString()) });
    await expect.poll(() => existsSync(dir)).toBe(false);
    service.close();
  });
});
