import type { APIRequestContext } from '@playwright/test';
import type { Page } from '@playwright/test';

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
