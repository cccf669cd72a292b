import { dirname } from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN } from './accounts.js';

/** Calls a contract method over serve mode's HTTP RPC; answers the Result and the status. */
export async function rpc(
  request: APIRequestContext,
  method: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  const response = await request.post(`/api/rpc/${method}`, {
    data: input,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
  return { status: response.status(), body: await response.json() };
}

export async function loginToken(
  request: APIRequestContext,
  username: string,
  password: string,
): Promise<string> {
  const { body } = await rpc(request, 'auth.login', { username, password });
  if (!body.ok) throw new Error(`login of ${username} failed: ${JSON.stringify(body.error)}`);
  return (body.value as { token: string }).token;
}

/** The session token the app in this page holds (it keeps it in sessionStorage). */
export async function sessionTokenOf(page: Page): Promise<string> {
  const raw = await page.evaluate(() => window.sessionStorage.getItem('neurosphere.session'));
  if (raw === null) throw new Error('The page has no session.');
  return (JSON.parse(raw) as { token: string }).token;
}

/**
 * Serve mode imports by path only from folders an administrator allowed: the folders of
 * `paths` are added to the list, as an administrator would.
 */
export async function allowImportFrom(
  request: APIRequestContext,
  paths: readonly string[],
): Promise<void> {
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const current = await rpc(request, 'importRoots.get', {}, admin);
  const roots = (current.body.value as { roots: string[] }).roots;
  const added = paths.map((path) => dirname(path));
  const set = await rpc(request, 'importRoots.set', { roots: [...roots, ...added] }, admin);
  expect(set.body.ok, JSON.stringify(set.body.error)).toBe(true);
}

/**
 * Imports files the server can read (import.files, as the CLI does) and waits for the job to
 * complete: the id of the first scan it made. `patientId` files them under that patient.
 */
export async function importServerPaths(
  request: APIRequestContext,
  token: string,
  paths: readonly string[],
  options: { patientId?: string } = {},
): Promise<string> {
  await allowImportFrom(request, paths);
  const started = await rpc(request, 'import.files', { paths, ...options }, token);
  expect(started.body.ok, JSON.stringify(started.body.error)).toBe(true);
  const jobId = (started.body.value as { id: string }).id;
  let scanId = '';
  await expect
    .poll(
      async () => {
        const job = (await rpc(request, 'jobs.get', { id: jobId }, token)).body.value as {
          status: string;
          result: { scanIds: string[] } | null;
        };
        scanId = job.result?.scanIds[0] ?? '';
        return job.status;
      },
      { timeout: 30_000 },
    )
    .toBe('completed');
  return scanId;
}

/**
 * The administrator's token. Sets the administrator up first when this server has none yet, so
 * a spec runs on its own too (in the full run an earlier spec did; the setup is then refused).
 */
export async function adminToken(request: APIRequestContext): Promise<string> {
  await rpc(request, 'auth.setup', ADMIN);
  return loginToken(request, ADMIN.username, ADMIN.password);
}
