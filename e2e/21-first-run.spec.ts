import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { packUpdateBundle } from '../src-main/core/update/update-bundle.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';
import { saveScreen } from './support/screens.js';

test.describe.configure({ mode: 'serial' });

const CLINIC = 'Hillside Neurology Clinic';

/**
 * On its own on a fresh data dir: the setup screen, then the wizard opens by itself. After
 * spec 01 (which finishes it): log in and open it again from Settings.
 */
async function openWizard(page: Page): Promise<'after-setup' | 'reopened'> {
  await page.goto('/');
  const setupForm = page.getByTestId('setup-form');
  const loginForm = page.getByTestId('login-form');
  await expect(setupForm.or(loginForm)).toBeVisible();
  if (await setupForm.isVisible()) {
    await page.getByTestId('setup-username').fill(ADMIN.username);
    await page.getByTestId('setup-display-name').fill(ADMIN.displayName);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-password-confirm').fill(ADMIN.password);
    await page.getByTestId('setup-submit').click();
    await expect(page.getByTestId('first-run')).toBeVisible();
    return 'after-setup';
  }
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  await page.getByTestId('first-run-reopen').click();
  await expect(page.getByTestId('first-run')).toBeVisible();
  return 'reopened';
}

/** A bundle signed with a key, then changed after signing (as on a tampered USB stick). */
function tamperedBundle(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-update-'));
  const installer = join(dir, 'Neurosphere-9.0.0.AppImage');
  writeFileSync(installer, Buffer.alloc(64 * 1024, 7));
  const { privateKey } = generateKeyPairSync('ed25519');
  const bundle = join(dir, 'bundle');
  mkdirSync(bundle);
  return [bundle, installer, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()];
}

test('a new administrator goes through the first-run wizard, step by step', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const how = await openWizard(page);
  const next = page.getByTestId('first-run-next');
  const title = page.getByTestId('first-run-step-title');

  await expect(title).toHaveText('Administrator account');
  await expect(page.getByTestId('first-run-admin-name')).toHaveText(ADMIN.username);
  await next.click();

  await expect(title).toHaveText('Data folder');
  // serve mode was started with --data-dir: the folder is fixed there, and the step says so.
  await expect(page.getByTestId('first-run-data-dir')).toContainText('e2e');
  await expect(page.getByTestId('first-run-data-dir-origin')).toContainText('Fixed by --data-dir');
  await next.click();

  await expect(title).toHaveText('Clinic name and logo');
  await page.getByTestId('clinic-name').fill(CLINIC);
  await page.getByTestId('clinic-save').click();
  await expect(page.getByTestId('clinic-save-state')).toContainText('Saved');
  await next.click();

  await expect(title).toHaveText('GPU check');
  // This machine has no usable GPU provider: the check runs, says CPU, and why.
  if (how === 'reopened') await page.getByTestId('gpu-check').click();
  await expect(page.getByTestId('gpu-provider')).toHaveAttribute('data-provider', 'cpu', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('gpu-reason')).toContainText(/could not be used|no GPU provider/);
  await saveScreen(page, 'first-run-gpu');
  await next.click();

  await expect(title).toHaveText('Backup location');
  const backupDir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-schedule-'));
  await page.getByTestId('backup-schedule-enabled').check();
  await page.getByTestId('backup-schedule-folder').fill(backupDir);
  await page.getByTestId('backup-schedule-save').click();
  await expect(page.getByTestId('backup-schedule-state')).toContainText('Saved');
  await page.getByTestId('first-run-finish').click();

  await expect(page.getByTestId('page-worklist')).toBeVisible();
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const status = await rpc(request, 'firstRun.status', {}, token);
  expect(status.body.value).toMatchObject({ isComplete: true, completedBy: ADMIN.username });
  // The wizard's clinic step is the letterhead every report carries.
  const clinic = await rpc(request, 'clinic.get', {}, token);
  expect(clinic.body.value).toMatchObject({ name: CLINIC });
  const health = (await (await request.get('/api/health')).json()) as {
    inference: { gpu: { provider: string; reason: string } | null };
  };
  expect(health.inference.gpu).toMatchObject({ provider: 'cpu' });
  expect(health.inference.gpu?.reason).toMatch(/\S/);

  // Finished: the next login goes straight to the app.
  await new AppPage(page).logout();
  await new LoginPage(page).login(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('page-worklist')).toBeVisible();
});

test('Settings shows the GPU panel, and the Updates panel refuses a tampered bundle', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const gpu = page.getByTestId('gpu-panel');
  await expect(gpu.getByTestId('gpu-provider')).toHaveText('CPU');
  await expect(gpu.getByTestId('gpu-reason')).toContainText(/could not be used|no GPU provider/);

  const [bundle, installer, key] = tamperedBundle() as [string, string, string];
  await packUpdateBundle({
    installer,
    version: '9.0.0',
    privateKeyPem: key,
    outDir: bundle,
    now: () => new Date(),
  });
  const manifestPath = join(bundle, 'update.json');
  writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('9.0.0', '9.0.1'));

  const panel = page.getByTestId('updates-panel');
  await panel
    .getByTestId('updates-files')
    .setInputFiles([
      join(bundle, 'Neurosphere-9.0.0.AppImage'),
      manifestPath,
      join(bundle, 'update.json.sig'),
    ]);
  await panel.getByTestId('updates-verify').click();
  await expect(panel.getByTestId('updates-refusal')).toContainText(
    'its signature is not valid: the bundle was changed after it was signed',
  );
  await expect(panel.getByTestId('updates-refusal')).toContainText('Nothing was installed.');
  await saveScreen(page, 'updates-refused');
  await expect(panel.getByTestId('updates-apply')).toHaveCount(0);
  // Connected updates are the desktop app's: browser mode says so.
  await expect(panel.getByTestId('online-updates-unavailable')).toBeVisible();
});
