import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { startFaultProxy, type FaultProxy } from '../src-main/test-support/fault-proxy.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../src-main/test-support/orthanc.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, loginToken, rpc } from './support/api.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });
test.skip(!hasOrthanc(), 'needs Orthanc (apt install orthanc)');

let orthanc: TestOrthanc;
let proxy: FaultProxy;
const SLICES = 5;

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-sync-'));
  await importServerPaths(request, token, writeDicomSeries(join(dir, 'series'), SLICES));
  orthanc = await startOrthanc(join(dir, 'orthanc'));
  proxy = await startFaultProxy(orthanc.dicomPort);
  // The PACS is "down" until the test brings it up.
  proxy.setPlan({ refuse: () => true });
  const saved = await rpc(
    request,
    'dicom.destinations.save',
    { id: 'e2e-pacs', name: 'E2E PACS', aeTitle: 'ORTHANC', host: '127.0.0.1', port: proxy.port },
    token,
  );
  expect(saved.body.ok, JSON.stringify(saved.body.error)).toBe(true);
});

test.afterAll(async () => {
  await proxy?.close();
  await orthanc?.stop();
});

test('the header shows the PACS offline with items waiting; brought up, "Send now" delivers them once', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await new LoginPage(page).loginAs(ADMIN);
  const indicator = page.getByTestId('sync-indicator');
  await expect(indicator).toHaveText('Sync off');
  await indicator.click();
  await expect(page.getByTestId('page-sync')).toBeVisible();
  // The administrator chooses what the PACS receives.
  const settings = page.getByTestId('sync-settings-e2e-pacs');
  await settings.getByTestId('sync-flag-originals').check();
  await settings.getByTestId('sync-flag-segmentations').check();
  await page.getByTestId('sync-settings-save').click();
  await expect(page.getByTestId('sync-settings-saved')).toBeVisible();
  // Every DICOM original on this server waits: this spec's series, and those earlier specs imported.
  await expect(indicator).toHaveText(/^PACS offline · \d+ waiting$/, { timeout: 20_000 });
  const waiting = Number(/(\d+) waiting/.exec((await indicator.textContent()) ?? '')?.[1]);
  expect(waiting).toBeGreaterThanOrEqual(SLICES);
  const row = page.getByTestId('sync-destination-e2e-pacs');
  await expect(row.getByTestId('sync-online')).toHaveText('offline');
  await expect(row.getByTestId('sync-last-error')).toContainText('ORTHANC');

  proxy.setPlan({});
  await page.getByTestId('sync-run').click();
  await expect(indicator).toHaveText('Synced', { timeout: 150_000 });
  await expect(row.getByTestId('sync-online')).toHaveText('online');
  await expect(page.locator('[data-testid="sync-item"]:not([data-state="sent"])')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/sync-page.png', fullPage: true });
  const stats = await orthanc.rest<{ CountInstances: number }>('/statistics');
  // Exactly once: as many instances at the PACS as items were waiting.
  expect(stats.CountInstances).toBe(waiting);

  await page.getByTestId('sync-pause').click();
  await expect(indicator).toHaveText('Sync paused · 0 waiting');
  await page.getByTestId('sync-resume').click();
  await expect(indicator).toHaveText('Synced');
});
