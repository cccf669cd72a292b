import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/methods.js';
import type { AppErrorData, Result } from '../../src-shared/errors.js';
import type { Role } from '../../src-shared/roles.js';
import type { Analysis } from '../../src-shared/contract/analysis.js';
import type { User } from '../../src-shared/contract/entities.js';
import { createCore, type Core, type CoreOptions } from '../core/core.js';
import { fixedClock } from '../core/platform/clock.js';
import { sequentialIds } from '../core/platform/ids.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_KDF } from '../core/auth/password-hasher.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { TEST_AUDIT_KEY } from './test-audit-key.js';

export const ADMIN = { username: 'admin', password: 'correct horse battery' } as const;
export const TEST_START = new Date('2024-03-01T08:00:00.000Z');

/** A core on a temp data dir with a controllable clock, predictable ids and a memory log. */
export interface TestCore {
  readonly core: Core;
  /** Temp root holding data/, models/ (empty) and input/ (files for import tests). */
  readonly root: string;
  readonly inputDir: string;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly logger: ReturnType<typeof memoryLogger>;
  call(method: string, input: unknown, token?: string | null): Promise<Result<unknown>>;
  /** Calls a method and fails the test with the error's message unless it succeeds. */
  ok<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    token?: string,
  ): Promise<MethodOutput<M>>;
  /** Calls a method and fails the test unless it returns an error. */
  fail(method: string, input: unknown, token?: string | null): Promise<AppErrorData>;
  dispose(): Promise<void>;
}

export function startTestCore(options: Partial<CoreOptions> = {}): TestCore {
  const root = makeTempDir();
  const inputDir = join(root, 'input');
  const modelsDir = join(root, 'models');
  mkdirSync(inputDir);
  mkdirSync(modelsDir);
  const clock = fixedClock(TEST_START);
  const logger = memoryLogger();
  let core: Core;
  try {
    core = createCore({
      dataDir: join(root, 'data'),
      auditKey: TEST_AUDIT_KEY,
      kdf: TEST_KDF,
      runJobs: true,
      validateOutput: true,
      modelsDir,
      clock,
      ids: sequentialIds(),
      logger,
      ...options,
    });
  } catch (error) {
    removeTempDir(root);
    throw error;
  }
  const call = (method: string, input: unknown, token?: string | null): Promise<Result<unknown>> =>
    core.router.call(method, input, { transport: 'test', token });
  return {
    core,
    root,
    inputDir,
    clock,
    logger,
    call,
    async ok(method, input, token) {
      const result = await call(method, input, token);
      if (!result.ok)
        throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as MethodOutput<typeof method>;
    },
    async fail(method, input, token) {
      const result = await call(method, input, token);
      if (result.ok) throw new Error(`${method} succeeded but an error was expected`);
      return result.error;
    },
    async dispose() {
      await core.close();
      removeTempDir(root);
    },
  };
}

/** Runs first-run setup and returns the admin's session token. */
export async function setupAdmin(t: TestCore): Promise<string> {
  return (await t.ok('auth.setup', { ...ADMIN })).token;
}

/** Creates a user with the given role (as the admin) and logs them in. */
export async function addUser(
  t: TestCore,
  adminToken: string,
  username: string,
  role: Role,
  password = 'a long enough password',
  patientId?: string,
): Promise<{ user: User; token: string }> {
  const user = await t.ok(
    'users.create',
    { username, password, role, ...(patientId !== undefined && { patientId }) },
    adminToken,
  );
  const { token } = await t.ok('auth.login', { username, password });
  return { user, token };
}

/** Imports paths as a job and answers the first scan it made; fails unless the import completes. */
export async function importScan(t: TestCore, token: string, paths: string[]): Promise<string> {
  const job = await t.ok('import.files', { paths }, token);
  const finished = await t.core.jobs.whenFinished(job.id);
  if (finished.status !== 'completed') throw new Error(`The import ended ${finished.status}.`);
  const scanId = (await t.ok('import.report', { id: job.id }, token)).scanIds[0];
  if (scanId === undefined) throw new Error('The import made no scan.');
  return scanId;
}

/** Analyses a scan with the models the manifests choose (none named), as serve and the app do. */
export async function analyseScan(
  t: TestCore,
  token: string,
  scanId: string,
  force?: boolean,
): Promise<Analysis> {
  const job = await t.ok('analysis.start', { scanId, ...(force === true && { force }) }, token);
  const finished = await t.core.jobs.whenFinished(job.id);
  if (finished.status !== 'completed')
    throw new Error(`The analysis ended ${finished.status}: ${JSON.stringify(finished.error)}`);
  return t.ok('analysis.get', { scanId }, token);
}
