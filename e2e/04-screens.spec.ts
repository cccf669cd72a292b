import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { PatientsPage } from './pages/patients-page.js';
import { ADMIN } from './support/accounts.js';
import { rpc, sessionTokenOf } from './support/api.js';
import { saveScreen, saveScreenAt4k } from './support/screens.js';

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('dashboard: the seed statistics and the job queue', async ({ page, request }) => {
  await new AppPage(page).open('dashboard');
  // The screen shows what the core counts (earlier specs may have analysed a scan).
  const { body } = await rpc(request, 'dashboard.stats', {}, await sessionTokenOf(page));
  const stats = body.value as {
    totalStudies: number;
    studiesWithTumour: number;
    studiesAnalysed: number;
    tumorPercentage: number;
  };
  await expect(page.getByTestId('stat-patients-value')).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId('stat-studies-value')).toHaveText(String(stats.totalStudies));
  await expect(page.getByTestId('stat-studies-this-month-value')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('stat-tumours-detected-value')).toHaveText(
    String(stats.studiesWithTumour),
  );
  await expect(page.getByTestId('stat-tumours-detected')).toContainText(
    stats.studiesAnalysed === 0
      ? 'No study has an applicable AI analysis yet'
      : `with an applicable AI analysis (${stats.tumorPercentage}%)`,
  );
  await expect(page.getByTestId('stat-last-import')).toContainText(/today|days? ago|yesterday/);
  await expect(page.getByTestId('job-queue-counts')).toContainText('failed');
  await saveScreen(page, 'dashboard');
  await saveScreenAt4k(page, 'dashboard');
});

test('patients: create, edit, see the imported patient with studies, delete with confirmation', async ({
  page,
}) => {
  const patients = new PatientsPage(page);
  await patients.goto();
  await patients.create({
    name: 'Doe, Jane',
    mrn: 'E2E-NEW',
    birthDate: '1970-01-31',
    sex: 'F',
    notes: 'Referred by Dr. B.',
  });
  await expect(page.getByTestId('patient-facts')).toContainText('E2E-NEW');

  await page.getByTestId('patient-edit').click();
  await patients.fillForm({ notes: 'Follow-up in 6 months.' });
  await expect(page.getByTestId('patient-facts')).toContainText('Follow-up in 6 months.');
  await patients.deleteOpenPatient();
  await patients.search.fill('Doe, Jane');
  await expect(page.getByTestId('patients-empty')).toBeVisible();

  await patients.search.fill('');
  await saveScreen(page, 'patients');
  await patients.openByName('Test, Ingrid');
  await expect(page.getByTestId('patient-study')).toHaveCount(1);
  await expect(page.getByTestId('patient-scan')).toHaveCount(1);
  await saveScreen(page, 'patient-detail');
});

test('settings and about: version, data folder, provider, licences', async ({ page, request }) => {
  await new AppPage(page).open('settings');
  const { body } = await rpc(request, 'system.info', {}, await sessionTokenOf(page));
  const { executionProvider: provider, executionProviderNote: providerNote } = body.value as {
    executionProvider: string;
    executionProviderNote: string | null;
  };
  await expect(page.getByTestId('about-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('about-data-dir')).toContainText('e2e-data');
  // 'unknown' until a model has run in this server; then the provider that ran it (CPU here).
  await expect(page.getByTestId('about-provider')).toContainText(
    new RegExp(provider === 'unknown' ? 'unknown' : provider, 'i'),
  );
  // Why the GPU is not used (a CPU-only machine here) is said here, not in analysis headlines.
  if (providerNote === null) await expect(page.getByTestId('about-provider-note')).toHaveCount(0);
  else await expect(page.getByTestId('about-provider-note')).toHaveText(providerNote);
  await expect(page.getByTestId('licences-table')).toContainText('cornerstone-core');
  await saveScreen(page, 'settings');
});
