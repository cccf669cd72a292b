import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { PatientsPage } from './pages/patients-page.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN, VIEWER } from './support/accounts.js';
import { loginToken, rpc, sessionTokenOf } from './support/api.js';
import { saveScreen } from './support/screens.js';

test('a viewer can read but cannot import or delete, and the core refuses it too', async ({
  page,
  request,
}) => {
  const adminToken = await loginToken(request, ADMIN.username, ADMIN.password);
  const created = await rpc(request, 'users.create', { ...VIEWER, role: 'viewer' }, adminToken);
  expect(created.body.ok).toBe(true);

  await new LoginPage(page).loginAs(VIEWER);
  const app = new AppPage(page);
  await app.expectLoggedInAs(VIEWER.displayName, 'viewer');
  await expect(app.navLink('worklist')).toBeVisible();
  await expect(app.navLink('import')).toHaveCount(0);
  await expect(page.getByTestId('worklist-import')).toHaveCount(0);

  // Typing the address of the import page shows a refusal, not the page.
  await page.goto('/#/import');
  await expect(page.getByTestId('not-allowed')).toBeVisible();
  await expect(page.getByTestId('drop-zone')).toHaveCount(0);
  await saveScreen(page, 'viewer-refused');

  // Reading works; deleting is not offered.
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.open('E2E-001');
  await expect(page.getByTestId('scan-delete')).toHaveCount(0);
  await expect(page.getByTestId('scan-assign-patient')).toHaveCount(0);
  const patients = new PatientsPage(page);
  await patients.goto();
  await patients.openByName('Test, Ingrid');
  await expect(page.getByTestId('patient-delete')).toHaveCount(0);
  await expect(page.getByTestId('patient-edit')).toHaveCount(0);
  await expect(page.getByTestId('patient-import-toggle')).toHaveCount(0);

  // The core refuses the viewer's own session whatever the UI shows.
  const token = await sessionTokenOf(page);
  const begin = await rpc(request, 'uploads.begin', {}, token);
  expect(begin.status).toBe(403);
  expect(begin.body.error?.code).toBe('PERMISSION_DENIED');
  const patientId = page.url().split('/').pop() ?? '';
  const removal = await rpc(request, 'patients.delete', { id: patientId }, token);
  expect(removal.status).toBe(403);
  const upload = await request.put(
    `/api/stream/uploads.put?batchId=00000000-0000-4000-8000-000000000001&name=a.png`,
    {
      headers: { Authorization: `Bearer ${token}` },
      data: Buffer.from('x'),
    },
  );
  expect(upload.status()).toBe(403);
  const imported = await rpc(request, 'import.files', { paths: ['/etc'] }, token);
  expect(imported.status).toBe(403);
});
