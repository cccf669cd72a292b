import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, loginToken, rpc } from './support/api.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

const AUDITED = { username: 'audrey19', password: 'audited-viewer-pass-19' } as const;
const MRN = 'MRN-E2E-19';
let scanId = '';
let workDir = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  workDir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-19-'));
  const files = writeDicomSeries(join(workDir, 'series'), 3, {
    patientId: MRN,
    patientName: 'Audit^Annabel',
    rows: 32,
    columns: 32,
  });
  scanId = await importServerPaths(request, admin, files);
  await rpc(request, 'users.create', { ...AUDITED, role: 'viewer' }, admin);
  const viewer = await loginToken(request, AUDITED.username, AUDITED.password);
  // What the trail must show: two reads of the patient's scan and one refused attempt.
  expect((await rpc(request, 'scans.get', { id: scanId }, viewer)).body.ok).toBe(true);
  expect((await rpc(request, 'scans.get', { id: scanId }, viewer)).body.ok).toBe(true);
  expect((await rpc(request, 'users.list', {}, viewer)).status).toBe(403);
});

async function openAudit(page: Page): Promise<void> {
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('page-audit')).toBeVisible();
}

/** A port nobody listens on now (the system's choice for port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Today as the date input takes it (the browser runs on this machine, in its time zone). */
function today(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

test('an admin filters the audit trail, verifies the chain and downloads the CSV', async ({
  page,
}) => {
  await openAudit(page);
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();

  await page.getByTestId('audit-actor').selectOption(AUDITED.username);
  await page.getByTestId('audit-patient').fill(MRN);
  await expect(page.getByTestId('audit-pager-summary')).toHaveText('Showing 1–2 of 2 rows');
  await expect(page.getByTestId('audit-row-action')).toHaveText(['scans.read', 'scans.read']);

  await page.getByTestId('audit-patient').fill('');
  await page.getByTestId('audit-outcome').selectOption('refused');
  await expect(page.getByTestId('audit-pager-summary')).toHaveText('Showing 1–1 of 1 row');
  await expect(page.getByTestId('audit-row-action')).toHaveText(['access.refused']);
  await expect(page.getByTestId('audit-row-outcome')).toHaveText(['Refused']);

  await page.getByTestId('audit-outcome').selectOption('');
  await page.getByTestId('audit-from').fill(today());
  await page.getByTestId('audit-to').fill(today());
  // Two reads, the refusal and the viewer's login, all today.
  await expect(page.getByTestId('audit-pager-summary')).toHaveText('Showing 1–4 of 4 rows');

  await page.getByTestId('audit-patient').fill('MRN-NOBODY');
  await expect(page.getByTestId('error-message')).toContainText(
    'No patient has the record id or MRN "MRN-NOBODY"',
  );
  await page.getByTestId('audit-patient').fill(MRN);
  await expect(page.getByTestId('audit-pager-summary')).toHaveText('Showing 1–2 of 2 rows');

  await page.getByTestId('audit-verify-run').click();
  await expect(page.getByTestId('audit-verify-result')).toContainText(
    /Audit trail intact: \d+ rows checked/,
  );

  const downloading = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^neurosphere-audit-.*\.csv$/);
  const path = join(workDir, download.suggestedFilename());
  await download.saveAs(path);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('seq,at,actor,action,outcome,target,details,hash');
  expect(lines.slice(1).map((line) => line.split(',').slice(2, 6))).toEqual([
    [AUDITED.username, 'scans.read', 'allowed', scanId],
    [AUDITED.username, 'scans.read', 'allowed', scanId],
  ]);
  expect(readFileSync(path, 'utf8')).not.toContain('Annabel');

  // The export is in the trail itself.
  await page.getByTestId('audit-clear').click();
  await page.getByTestId('audit-action').selectOption('audit.export');
  await expect(page.getByTestId('audit-row-action')).toHaveText(['audit.export']);
  await expect(page.getByTestId('audit-row').first()).toContainText('rows: 2');
  await page.screenshot({ path: '/tmp/audit-page.png', fullPage: true });
});

test('an admin allows a server folder for import, and a missing folder is refused clearly', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('import-roots-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('import-root-input').fill('/srv/no-such-folder-19');
  await panel.getByTestId('import-root-add').click();
  await expect(panel.getByTestId('error-message')).toHaveText(
    'The folder "/srv/no-such-folder-19" does not exist on the server.',
  );
  const folder = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-19-allowed-'));
  await panel.getByTestId('import-root-input').fill(folder);
  await panel.getByTestId('import-root-add').click();
  await expect(panel.getByTestId('import-roots-notice')).toHaveText(`Allowed ${folder}.`);
  await expect(panel.getByTestId('import-root').filter({ hasText: folder })).toHaveCount(1);

  await page.reload();
  const row = page.getByTestId('import-root').filter({ hasText: folder });
  await expect(row).toHaveCount(1);
  await row.getByTestId('import-root-remove').click();
  await expect(page.getByTestId('import-root').filter({ hasText: folder })).toHaveCount(0);
});

test('an admin turns the DICOM listener on and tests the connection to it with a C-ECHO', async ({
  page,
}) => {
  const port = await freePort();
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('dicom-node-panel');
  await expect(panel.getByTestId('dicom-node-status')).toContainText('Off');
  await panel.getByTestId('dicom-node-enabled').check();
  await panel.getByTestId('dicom-node-ae').fill('NS_E2E19');
  await panel.getByTestId('dicom-node-port').fill(String(port));
  await panel.getByTestId('dicom-node-bind').fill('127.0.0.1');
  await panel.getByTestId('dicom-node-save').click();
  await expect(panel.getByTestId('dicom-node-status')).toContainText(
    `Listening as NS_E2E19 on port ${port}`,
  );

  await panel.getByTestId('dicom-destination-name').fill('This workstation');
  await panel.getByTestId('dicom-destination-ae').fill('NS_E2E19');
  await panel.getByTestId('dicom-destination-host').fill('127.0.0.1');
  await panel.getByTestId('dicom-destination-port').fill(String(port));
  await panel.getByTestId('dicom-destination-add').click();
  const self = panel.getByTestId('dicom-destination-this-workstation');
  await expect(self).toBeVisible();
  await self.getByTestId('dicom-echo').click();
  await expect(self.getByTestId('dicom-echo-result')).toContainText(
    /OK: answered the C-ECHO in \d+ ms/,
  );

  // Off again: saved, the listener stops, and the same test now fails with a clear message.
  await panel.getByTestId('dicom-node-enabled').uncheck();
  await panel.getByTestId('dicom-node-save').click();
  await expect(panel.getByTestId('dicom-node-status')).toContainText('Off');
  await self.getByTestId('dicom-echo').click();
  await expect(self.getByTestId('dicom-echo-result')).toContainText(/not|refused|reach/i);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/dicom-node-panel.png', fullPage: true });
});

test('"Verify chain" lists the altered row and the truncation of a tampered trail', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A server of its own on a free port: tampering must not touch the trail the other specs use.
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-19-tamper-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    ['bin/neurosphere.js', 'serve', '--port', String(port), '--data-dir', join(dir, 'data')],
    {
      cwd: join(import.meta.dirname, '..'),
      // A plain folder: this test is about the audit trail, and a new folder is encrypted by
      // default with its key in the keychain, which this process may not reach.
      env: {
        ...process.env,
        NEUROSPHERE_AUDIT_KEY_FILE: join(dir, 'audit.key'),
        NEUROSPHERE_ENCRYPTION: 'off',
      },
      stdio: 'ignore',
    },
  );
  try {
    await expect
      .poll(
        () =>
          fetch(`${base}/api/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 60_000 },
      )
      .toBe(200);
    const setup = await fetch(`${base}/api/rpc/auth.setup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: ADMIN.username, password: ADMIN.password }),
    });
    expect(setup.status).toBe(200);
    // Two more audited logins, so the trail is long enough to alter one row and cut another.
    for (let i = 0; i < 2; i++) {
      const login = await fetch(`${base}/api/rpc/auth.login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: ADMIN.username, password: ADMIN.password }),
      });
      expect(login.status).toBe(200);
    }
    await page.goto(`${base}/`);
    await new LoginPage(page).login(ADMIN.username, ADMIN.password);
    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await page.waitForLoadState('networkidle');

    // Someone with the file drops the triggers, edits row 2 and deletes the last row.
    const db = new Database(join(dir, 'data', 'neurosphere.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2").run();
    db.prepare('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').run();
    db.close();

    await page.getByTestId('audit-verify-run').click();
    await expect(page.getByTestId('audit-verify-result')).toContainText('Audit trail BROKEN');
    const issues = page.getByTestId('audit-verify-issue');
    await expect(issues.filter({ hasText: 'Altered row (row 2)' })).toHaveCount(1);
    await expect(issues.filter({ hasText: /^Truncated/ })).toHaveCount(1);
    await page.screenshot({ path: '/tmp/audit-broken.png' });
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
