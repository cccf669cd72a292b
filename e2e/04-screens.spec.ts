import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { PatientsPage } from './pages/patients-page.js';
import { ADMIN } from './support/accounts.js';
import { saveScreen, saveScreenAt4k } from './support/screens.js';

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('dashboard: the seed statistics and the job queue', async ({ page }) => {
  await new AppPage(page).open('dashboard');
  await expect(page.getByTestId('stat-total-scans-value')).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId('stat-scans-this-month-value')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('stat-tumours-detected-value')).toHaveText('0');
  await expect(page.getByTestId('stat-tumours-detected')).toContainText(
    'No scan has been analysed yet',
  );
  await expect(page.getByTestId('stat-tumour-percentage-value')).toHaveText('0%');
  await expect(page.getByTestId('stat-last-scan')).toContainText(/today|days? ago|yesterday/);
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

test('settings and about: version, data folder, provider, licences', async ({ page }) => {
  await new AppPage(page).open('settings');
  await expect(page.getByTestId('about-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('about-data-dir')).toContainText('e2e-data');
  await expect(page.getByTestId('about-provider')).toContainText('nknown');
  await expect(page.getByTestId('licences-table')).toContainText('cornerstone-core');
  await saveScreen(page, 'settings');
});
