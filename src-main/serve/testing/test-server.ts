import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Page, Scan } from '../../../src-shared/contract/entities.js';
import type { Result } from '../../../src-shared/errors.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { memoryLogger } from '../../core/platform/logger.js';
import { TEST_KDF } from '../../core/auth/password-hasher.js';
import { startServer, type RunningServer, type ServeOptions } from '../server.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

export interface TestServer {
  server: RunningServer;
  /** Temp folder holding data/, renderer/ and a secret.txt outside the renderer. */
  root: string;
  cleanup(): Promise<void>;
}

export const INDEX_HTML = '<!doctype html><title>Neurosphere test renderer</title>';

/** A real server on a free port over a temp data dir and a small fake renderer build. */
export async function startTestServer(overrides: Partial<ServeOptions> = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'neurosphere-serve-'));
  const staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log("app");');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  const server = await startServer({
    dataDir: join(root, 'data'),
    port: 0,
    staticDir,
    events: { authTimeoutMs: 300 },
    ...overrides,
    core: { auditKey: TEST_AUDIT_KEY, kdf: TEST_KDF, logger: memoryLogger(), ...overrides.core },
  });
  // Tests import by path from their temp folder over HTTP: allow it, as an administrator would.
  const allowed = await server.core.router.call(
    'importRoots.set',
    { roots: [root] },
    { transport: 'cli', principal: { kind: 'system', name: 'test', role: 'admin' } },
  );
  if (!allowed.ok) throw new Error(allowed.error.message);
  return {
    server,
    root,
    async cleanup() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RpcResponse {
  status: number;
  body: Result<unknown>;
}

export async function rpc(
  server: RunningServer,
  method: string,
  input?: unknown,
  token?: string,
): Promise<RpcResponse> {
  const response = await fetch(`${server.url}/api/rpc/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(input ?? {}),
  });
  return { status: response.status, body: (await response.json()) as Result<unknown> };
}

/** The value of a successful call; fails the test with the error otherwise. */
export function valueOf<T>(response: RpcResponse): T {
  if (!response.body.ok)
    throw new Error(`RPC failed (${response.status}): ${JSON.stringify(response.body.error)}`);
  return response.body.value as T;
}

/** Runs first-run setup and returns the admin's session token. */
export async function setUpAdmin(server: RunningServer): Promise<string> {
  const session = valueOf<{ token: string }>(
    await rpc(server, 'auth.setup', { username: 'admin', password: 'correct horse battery' }),
  );
  return session.token;
}

/** Analyses a scan with the `bright-spot` test model only (no classifier); fails unless it completes. */
export async function analyseWithBrightSpot(
  server: RunningServer,
  token: string,
  scanId: string,
): Promise<void> {
  const job = valueOf<{ id: string }>(
    await rpc(
      server,
      'analysis.start',
      { scanId, segmentationModel: 'bright-spot', classificationModel: null },
      token,
    ),
  );
  const finished = await server.core.jobs.whenFinished(job.id);
  if (finished.status !== 'completed')
    throw new Error(`The analysis ended ${finished.status}: ${JSON.stringify(finished.error)}`);
}

/** The URL of a stream of the contract: `/api/stream/<name>?<params>`. */
export function streamUrl(
  server: RunningServer,
  name: string,
  params: Record<string, string | number>,
): string {
  const query = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
  );
  return `${server.url}/api/stream/${name}?${query.toString()}`;
}

export interface SpotScanServer extends TestServer {
  token: string;
  /** An imported 32×32 PNG with one bright 8×8 square, not analysed yet. */
  scanId: string;
}

/**
 * A real server whose models folder also holds the `bright-spot` test model, an admin, and one
 * imported picture named `fileName` with a bright square for that model to find.
 */
export async function startServerWithSpotScan(fileName: string): Promise<SpotScanServer> {
  const modelsDir = mkdtempSync(join(tmpdir(), 'neurosphere-spot-models-'));
  installBrightSpotModel(modelsDir);
  const ctx = await startTestServer({ core: { kdf: TEST_KDF, logger: memoryLogger(), modelsDir } });
  const token = await setUpAdmin(ctx.server);
  const file = join(ctx.root, fileName);
  writeFileSync(
    file,
    makePng(32, 32, (x, y) => (x >= 8 && x < 16 && y >= 8 && y < 16 ? 250 : 60)),
  );
  const job = valueOf<Job>(await rpc(ctx.server, 'import.files', { paths: [file] }, token));
  await ctx.server.core.jobs.whenFinished(job.id);
  const scans = valueOf<Page<Scan>>(await rpc(ctx.server, 'scans.list', {}, token));
  return {
    ...ctx,
    token,
    scanId: (scans.items[0] as Scan).id,
    async cleanup() {
      await ctx.cleanup();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}
