import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page, Scan } from '../../src-shared/contract/entities.js';
import { createCore, type Core } from '../core/core.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { makePng } from '../test-support/image-fixtures.js';
import { makeNifti } from '../test-support/volume-fixtures.js';
import { createStreamListener } from './ipc-router.js';
import { APP_ENTRY_URL } from './policy.js';
import { TEST_AUDIT_KEY } from '../test-support/test-audit-key.js';

const TRUSTED = { senderFrame: { url: `${APP_ENTRY_URL}#/import` } };
const REMOTE = { senderFrame: { url: 'https://evil.example/' } };

function bytesOf(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}

describe('streams over IPC (neurosphere:stream) with a real core', () => {
  let dir: string;
  let core: Core;
  let token: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'neurosphere-binary-ipc-'));
    core = createCore({
      auditKey: TEST_AUDIT_KEY,
      dataDir: dir,
      kdf: TEST_KDF,
      logger: memoryLogger(),
      modelsDir: join(dir, 'models'),
      runJobs: true,
    });
    const setup = await core.router.call(
      'auth.setup',
      { username: 'admin', password: 'correct horse battery' },
      { transport: 'test' },
    );
    if (!setup.ok) throw new Error(setup.error.message);
    token = (setup.value as { token: string }).token;
  });

  afterEach(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What main.ts registers for `neurosphere:stream`. */
  const stream = (event: typeof TRUSTED, ...args: unknown[]) =>
    createStreamListener(core.router)(event, ...args);

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await core.router.call(method, input, { transport: 'test', token });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  }

  it('uploads through IPC, imports, and reads the frame back through IPC', async () => {
    const { batchId } = await call<{ batchId: string }>('uploads.begin', {});
    const png = makePng(5, 3, (x, y) => x * 40 + y);
    const params = { batchId, name: 'dropped/scan.png' };
    const stored = await stream(TRUSTED, 'uploads.put', params, token, bytesOf(png));
    expect(stored).toEqual({
      ok: true,
      value: {
        description: { name: 'dropped/scan.png', bytes: png.byteLength },
        data: expect.any(ArrayBuffer),
      },
    });
    const bodiless = await stream(TRUSTED, 'uploads.put', { batchId, name: 'b.png' }, token);
    expect(bodiless).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const job = await call<{ id: string }>('uploads.commit', { batchId });
    expect((await core.jobs.whenFinished(job.id)).status).toBe('completed');

    const scans = await call<Page<Scan>>('scans.list', {});
    const scanId = (scans.items[0] as Scan).id;
    const frame = await stream(TRUSTED, 'frames.read', { scanId, index: 0 }, token);
    if (!frame.ok) throw new Error(frame.error.message);
    expect(frame.value.description).toMatchObject({ rows: 3, columns: 5, dtype: 'uint8' });
    expect(new Uint8Array(frame.value.data)[1 * 5 + 2]).toBe(2 * 40 + 1);
  });

  it('refuses other senders and missing sessions before touching the core', async () => {
    const { batchId } = await call<{ batchId: string }>('uploads.begin', {});
    const png = bytesOf(makePng(2, 2));
    const remote = await stream(REMOTE, 'uploads.put', { batchId, name: 'a.png' }, token, png);
    expect(remote).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    const anonymous = await stream(TRUSTED, 'uploads.put', { batchId, name: 'a.png' }, null, png);
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const traversal = await stream(
      TRUSTED,
      'uploads.put',
      { batchId, name: '../a.png' },
      token,
      png,
    );
    expect(traversal).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const notBytes = await stream(TRUSTED, 'uploads.put', { batchId, name: 'a.png' }, token, 'x');
    expect(notBytes).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(existsSync(join(dir, 'uploads', 'a.png'))).toBe(false);
    const frame = await stream(REMOTE, 'frames.read', { scanId: batchId, index: 0 }, token);
    expect(frame).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    const unnamed = await stream(TRUSTED, 42, {}, token);
    expect(unnamed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers analysis images only to the app, with a session, for a known picture', async () => {
    const image = (event: typeof TRUSTED, scanId: string, kind: string, token: string | null) =>
      stream(event, 'analysis.image', { scanId, kind }, token);
    const scanId = '0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e';
    expect(await image(REMOTE, scanId, 'overlay', token)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(await image(TRUSTED, scanId, 'overlay', null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await image(TRUSTED, scanId, 'mask', token)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    // No analysis yet (serve mode's route test covers a stored picture end to end).
    expect(await image(TRUSTED, scanId, 'heatmap', token)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('answers label volumes only to the app, with a session, as info and an ArrayBuffer', async () => {
    const labels = (event: typeof TRUSTED, scanId: string, source: unknown, token: string | null) =>
      stream(event, 'labels.read', { scanId, source }, token);
    const volumePath = join(dir, 't1.nii');
    const labelPath = join(dir, 'seg.nii');
    writeFileSync(volumePath, makeNifti({ dims: [3, 2, 2] }));
    writeFileSync(
      labelPath,
      makeNifti({ dims: [3, 2, 2], datatype: 'uint8', voxel: (i, _j, k) => (i === k ? 2 : 0) }),
    );
    const imported = await call<{ id: string }>('import.files', { paths: [volumePath] });
    await core.jobs.whenFinished(imported.id);
    const scanId = (await call<Page<Scan>>('scans.list', {})).items[0]!.id;
    const labelled = await call<{ id: string }>('import.files', {
      paths: [labelPath],
      segmentationOf: scanId,
    });
    await core.jobs.whenFinished(labelled.id);
    const detail = await call<{ segmentations: Array<{ id: string }> }>('scans.get', {
      id: scanId,
    });
    const segmentationId = detail.segmentations[0]!.id;

    expect(await labels(REMOTE, scanId, segmentationId, token)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(await labels(TRUSTED, scanId, segmentationId, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await labels(TRUSTED, scanId, 42, token)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await labels(TRUSTED, scanId, 'analysis', token)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    const answer = await labels(TRUSTED, scanId, segmentationId, token);
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value.description).toEqual({
      scanId,
      source: segmentationId,
      columns: 3,
      rows: 2,
      frames: 2,
      labels: [2],
    });
    expect(answer.value.data).toBeInstanceOf(ArrayBuffer);
    // The identity sform flips x and y into the canonical frames: (i, j) → (2 - i, 1 - j).
    expect([...new Uint8Array(answer.value.data)]).toEqual([0, 0, 2, 0, 0, 2, 0, 2, 0, 0, 2, 0]);
  });
});
