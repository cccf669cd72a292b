import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, loginToken, rpc } from './support/api.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

let backupRoot = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-backup-'));
  const files = writeDicomSeries(join(dir, 'series'), 30, { rows: 256, columns: 256 });
  await importServerPaths(request, token, files);
  backupRoot = join(dir, 'usb-stick');
  mkdirSync(backupRoot);
});

test('an admin backs up from Settings, sees the progress and then the last backup', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const panel = page.getByTestId('backup-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('backup-folder').fill(backupRoot);
  await panel.getByTestId('backup-run').click();
  // Either the progress is still showing, or the backup already ended: both say where it goes.
  await expect(panel.getByTestId('backup-last')).toContainText(/files, .* by hand/, {
    timeout: 30_000,
  });
  await expect(panel.getByTestId('backup-progress')).toHaveCount(0);
  await expect(panel.getByTestId('backup-last')).toContainText(
    join(backupRoot, 'neurosphere-backup-'),
  );
  const made = readdirSync(backupRoot);
  expect(made).toHaveLength(1);
  expect(existsSync(join(backupRoot, made[0]!, 'manifest.json'))).toBe(true);

  await panel.getByTestId('backup-schedule-enabled').check();
  await panel.getByTestId('backup-schedule-hours').fill('12');
  await panel.getByTestId('backup-schedule-folder').fill(backupRoot);
  await panel.getByTestId('backup-schedule-save').click();
  await expect(panel.getByTestId('backup-schedule-state')).toHaveText(
    'Saved: the next backup runs when the last is 12 h old.',
  );
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/backup-panel.png', fullPage: true });
});

test('a backup into a folder that does not exist is refused with a clear message', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const panel = page.getByTestId('backup-panel');
  await panel.getByTestId('backup-folder').fill('/media/no-such-stick');
  await panel.getByTestId('backup-run').click();
  await expect(panel.getByTestId('error-message')).toContainText(
    '/media/no-such-stick is not there on the machine that runs Neurosphere',
  );
  // The good backup stays the last one shown.
  await expect(panel.getByTestId('backup-last')).toContainText('by hand');
});
