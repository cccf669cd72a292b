import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { FirstRunWizard, LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';

// A second `neurosphere serve` started here acts as the clinic hub (docs/hub-sync.md): its own
// data folder and port, encryption off, its audit key and secrets in files. The workstation is
// the suite's server; the hub is added from its sync page, as an administrator would.
test.describe.configure({ mode: 'serial' });

const HUB_ADMIN = { username: 'hubadmin', password: 'hub admin 7731 meadow' };
const WS_ACCOUNT = { username: 'ward-3-ws', password: 'ward three 5512 harbour' };
const SERVING = /^Neurosphere \S+ serving (http:\/\/\S+) \(data: (.+)\)$/;

let root: string;
let hub: ChildProcess;
let hubUrl: string;
let hubToken: string;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function hubCall<T>(method: string, input: unknown, token?: string): Promise<T> {
  const response = await fetch(`${hubUrl}/api/rpc/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`hub ${method}: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** The patient records the hub holds from this workstation, counted through its own API. */
async function patientsAtHub(name: string): Promise<number> {
  const records = await hubCall<Array<{ entity: string; current: { payload: unknown } }>>(
    'sync.hub.records',
    { entity: 'patient', limit: 500 },
    hubToken,
  );
  return records.filter((r) => JSON.stringify(r.current.payload).includes(name)).length;
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  root = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-hub-'));
  hub = spawn(
    process.execPath,
    ['bin/neurosphere.js', 'serve', '--port', '0', '--data-dir', join(root, 'hub')],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        NEUROSPHERE_ENCRYPTION: 'off',
        NEUROSPHERE_AUDIT_KEY_FILE: join(root, 'audit.key'),
        NEUROSPHERE_DESTINATION_SECRETS_FILE: join(root, 'secrets.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  hubUrl = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: hub.stdout! });
    lines.on('line', (line) => {
      const match = SERVING.exec(line);
      if (match !== null) resolve(match[1] ?? '');
    });
    hub.on('exit', (code) => reject(new Error(`the hub exited (${code}) before serving`)));
  });
  hubToken = (
    await hubCall<{ token: string }>('auth.setup', { ...HUB_ADMIN, displayName: 'Hub admin' })
  ).token;
  await hubCall('users.create', { ...WS_ACCOUNT, role: 'workstation' }, hubToken);
});

test.afterAll(() => {
  hub?.kill('SIGTERM');
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

async function openSync(page: Page): Promise<void> {
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('sync-indicator').click();
  await expect(page.getByTestId('page-sync')).toBeVisible();
}

test('an administrator adds the hub from the sync page; a wrong password is refused in words, the right one connects and records arrive', async ({
  page,
  request,
}) => {
  test.setTimeout(480_000);
  await openSync(page);
  const panel = page.getByTestId('hub-destinations');
  await expect(panel.getByTestId('hub-none')).toBeVisible();
  await panel.getByTestId('hub-add').click();
  const form = page.getByTestId('hub-form');
  await form.getByTestId('hub-name').fill('Clinic hub');
  // Plain http to another machine is refused, and the form says why.
  await form.getByTestId('hub-url').fill('http://hub.clinic.example:8080');
  await expect(form.getByTestId('hub-url-rule')).toContainText(
    'Use https:// for a hub on another machine',
  );
  await expect(form.getByTestId('hub-save')).toBeDisabled();
  await form.getByTestId('hub-url').fill(hubUrl);
  await form.getByTestId('hub-workstation').fill('ward-3');
  await form.getByTestId('hub-username').fill(WS_ACCOUNT.username);
  await form.getByTestId('hub-password').fill('not the password');
  await form.getByTestId('hub-save').click();
  await expect(panel.getByTestId('hub-note')).toContainText('Saved.');

  const row = panel.getByTestId('hub-row-clinic-hub');
  await expect(row.getByTestId('hub-password-stored')).toHaveText('stored');
  await row.getByTestId('sync-hub-test-clinic-hub').click();
  await expect(row.getByTestId('sync-hub-test-result')).toContainText(
    'Wrong user name or password',
  );

  // Edit: the password field is empty (never shown back) and says one is stored.
  await row.getByTestId('hub-edit').click();
  await expect(form.getByTestId('hub-password')).toHaveValue('');
  await expect(form.getByTestId('hub-password-state')).toHaveText(
    'Password stored in the OS keychain (never shown).',
  );
  await form.getByTestId('hub-password').fill(WS_ACCOUNT.password);
  await form.getByTestId('hub-save').click();
  await expect(panel.getByTestId('hub-note')).toContainText('Saved.');
  await row.getByTestId('sync-hub-test-clinic-hub').click();
  await expect(row.getByTestId('sync-hub-test-result')).toContainText(
    `Signed in at ${hubUrl} as ${WS_ACCOUNT.username}; Neurosphere`,
  );

  // The hub is a destination like the PACS: paused on its own, nothing reaches it.
  const destination = page.getByTestId('sync-destination-clinic-hub');
  await expect(destination).toContainText('(Neurosphere hub)');
  await destination.getByTestId('sync-destination-pause').click();
  await expect(destination.getByTestId('sync-destination-paused')).toBeVisible();
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const created = await rpc(
    request,
    'patients.create',
    { name: 'Hub Arrival', mrn: 'HUB-29' },
    token,
  );
  expect(created.body.ok, JSON.stringify(created.body.error)).toBe(true);
  await page.getByTestId('sync-run').click();
  await page.waitForTimeout(1_500);
  expect(await patientsAtHub('Hub Arrival')).toBe(0);

  // Resumed: the record arrives, once, counted through the hub's API. Records go in outbox
  // order, so in the full run it comes after every record and audit row the earlier specs left
  // (about 3,700): hence the long wait.
  await destination.getByTestId('sync-destination-pause').click();
  await expect(destination.getByTestId('sync-destination-paused')).toHaveCount(0);
  await expect
    .poll(
      async () => {
        await rpc(request, 'sync.run', {}, token);
        return patientsAtHub('Hub Arrival');
      },
      { timeout: 300_000, intervals: [2_000] },
    )
    .toBe(1);
  await expect(destination.getByTestId('sync-online')).toContainText('online');
});

test('the hub shows its administrator the records received, where from, why that version, and resolves a conflict', async ({
  page,
}) => {
  // The hub's administrator has nothing to set up in the wizard for this test.
  await hubCall('firstRun.complete', { skipped: [] }, hubToken).catch(() => undefined);
  await page.goto(`${hubUrl}/`);
  await page.getByTestId('login-username').fill(HUB_ADMIN.username);
  await page.getByTestId('login-password').fill(HUB_ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('app-header')).toBeVisible();
  await new FirstRunWizard(page).finishIfOpen();
  await page.getByTestId('sync-indicator').click();
  await expect(page.getByTestId('page-sync')).toBeVisible();
  const received = page.getByTestId('hub-records');
  const patient = received
    .getByTestId('hub-record')
    .filter({ hasText: 'ward-3 #' })
    .filter({ hasText: 'patient' })
    .first();
  await expect(patient).toBeVisible();
  await expect(patient).toHaveAttribute('data-conflict', 'no');
  await expect(patient.getByTestId('hub-record-why')).toHaveText(
    /The only version received|The latest change/,
  );

  // A patient changed on two other workstations since the version they share: a conflict.
  const base = { id: 'e2e-c1', name: 'Base' };
  const onX = { id: 'e2e-c1', name: 'On X', updatedAt: '2026-12-02T10:00:00Z' };
  const onY = { id: 'e2e-c1', name: 'On Y', updatedAt: '2026-12-02T11:00:00Z' };
  const version = (v: number, payload: object, from: object | null) => ({
    entity: 'patient',
    id: 'e2e-c1',
    op: from === null ? 'create' : 'update',
    version: v,
    changedAt: (payload as { updatedAt?: string }).updatedAt ?? '2026-12-01T08:00:00Z',
    payloadJson: JSON.stringify(payload),
    baseHash: from === null ? null : sha256(JSON.stringify(from)),
  });
  const receive = (origin: string, records: object[]) =>
    hubCall('sync.hub.receive', { origin, records, audit: [] }, hubToken);
  await receive('ws-x', [version(1, base, null), version(2, onX, base)]);
  await receive('ws-y', [version(3, onY, base)]);

  await received.getByTestId('hub-records-conflicts-only').check();
  const conflict = received.getByTestId('hub-record').filter({ hasText: 'e2e-c1' });
  await expect(conflict).toHaveAttribute('data-conflict', 'yes');
  await expect(conflict).toContainText('ws-y #3');
  await expect(conflict.getByTestId('hub-record-why')).toHaveText(
    'Conflict: changed on two workstations; the later change is shown (a tie: the lower workstation name).',
  );
  // The administrator keeps ws-x's version: shown, the mark cleared, every version still there.
  await conflict
    .locator('li')
    .filter({ hasText: 'ws-x #2' })
    .getByTestId('hub-record-keep')
    .click();
  await expect(received.getByTestId('hub-records-none')).toHaveText('No record in conflict.');
  await received.getByTestId('hub-records-conflicts-only').uncheck();
  const resolved = received.getByTestId('hub-record').filter({ hasText: 'e2e-c1' });
  await expect(resolved).toHaveAttribute('data-conflict', 'no');
  await expect(resolved.locator('li')).toHaveCount(3);
  const [view] = await hubCall<Array<{ current: { origin: string; version: number } }>>(
    'sync.hub.records',
    { recordId: 'e2e-c1', limit: 1 },
    hubToken,
  );
  expect(view?.current).toMatchObject({ origin: 'ws-x', version: 2 });
  // The choice is in the hub's audit trail: who kept which version.
  const trail = await hubCall<{ items: Array<{ actor: string; target: string; details: object }> }>(
    'audit.list',
    { action: 'sync.hub.keep' },
    hubToken,
  );
  expect(trail.items[0]).toMatchObject({
    actor: HUB_ADMIN.username,
    target: 'patient/e2e-c1',
    details: { origin: 'ws-x', version: 2 },
  });
});

test('removing the hub stops the sync and deletes its password', async ({ page }) => {
  await openSync(page);
  const panel = page.getByTestId('hub-destinations');
  // The workstation's secrets file (the keychain fallback this suite uses) holds the password.
  const secretsFile = `${process.env['NEUROSPHERE_E2E_DATA_DIR'] ?? '.reports/e2e-data'}-destinations.json`;
  expect(readFileSync(secretsFile, 'utf8')).toContain('#clinic-hub');
  await panel.getByTestId('hub-row-clinic-hub').getByTestId('hub-remove').click();
  await page.getByTestId('hub-remove-confirm-confirm').click();
  await expect(panel.getByTestId('hub-note')).toContainText(
    'password was deleted from the keychain',
  );
  await expect(panel.getByTestId('hub-none')).toBeVisible();
  await expect(page.getByTestId('sync-destination-clinic-hub')).toHaveCount(0);
  expect(readFileSync(secretsFile, 'utf8')).not.toContain('#clinic-hub');
});
