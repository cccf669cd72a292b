import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, loginToken, rpc } from './support/api.js';

// Serve creates its data folder encrypted (the default), its key in NEUROSPHERE_DATA_KEY_FILE
// (playwright.config.ts): no readable patient name may end up in it.
test.describe.configure({ mode: 'serial' });

const FAMILY = 'Qwixelbrand';
const DATA_DIR = resolve(process.env['NEUROSPHERE_E2E_DATA_DIR'] ?? '.reports/e2e-data');

function filesContaining(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => {
      const bytes = readFileSync(file);
      return needles.some((needle) => bytes.includes(needle));
    });
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-encryption-'));
  const files = writeDicomSeries(join(dir, 'series'), 4, {
    rows: 64,
    columns: 64,
    patientName: `${FAMILY}^Enc`,
    patientId: 'QWX-23',
  });
  await importServerPaths(request, token, files);
});

test('health says the data folder is encrypted, and no file of it holds the patient name', async ({
  request,
}) => {
  const health = (await (await request.get('/api/health')).json()) as {
    encryption: { enabled: boolean };
  };
  expect(health.encryption).toEqual({ enabled: true });
  expect(filesContaining(DATA_DIR, FAMILY)).toEqual([]);
});

test('an admin sees the recovery key once in Settings and confirms it is written down', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const panel = page.getByTestId('encryption-panel');
  await expect(panel.getByTestId('encryption-state')).toContainText('Encrypted');
  await expect(panel.getByTestId('encryption-key-source')).toContainText('key file');
  await expect(panel.getByTestId('recovery-key')).toHaveText(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
  await panel.getByTestId('recovery-key-confirm').click();
  await expect(panel.getByTestId('encryption-recovery-state')).toContainText('Written down');
  await expect(panel.getByTestId('recovery-key')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('encryption-recovery-state')).toContainText('Written down');
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  // The patient is readable through the app all the same.
  await new AppPage(page).open('patients');
  await expect(page.getByText(FAMILY).first()).toBeVisible();
});
