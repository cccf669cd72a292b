import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ImportPage } from './pages/import-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN } from './support/accounts.js';
import { makePng } from '../src-main/test-support/image-fixtures.js';
import { generateLargeFolder, generateStudy } from './support/fixture-files.js';
import { saveScreen, saveScreenAt4k } from './support/screens.js';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('upload a DICOM series and a PNG; both appear in the worklist with thumbnails', async ({
  page,
}) => {
  const files = generateStudy();
  const importer = new ImportPage(page);
  await importer.goto();
  await importer.chooseFiles([...files.seriesFiles, files.png]);
  await importer.expectSummary('completed', { imported: 6, duplicates: 0, rejected: 0 });
  await expect(importer.summary.getByTestId('summary-scans').locator('dd')).toHaveText('2');
  await saveScreen(page, 'import-summary');

  // The same PNG again is recognised as a duplicate.
  await importer.importMore();
  await importer.chooseFiles([files.png]);
  await importer.expectSummary('completed', { imported: 0, duplicates: 1 });

  await page.getByTestId('nav-worklist').click();
  const worklist = new WorklistPage(page);
  await expect(worklist.rows).toHaveCount(2);
  const ct = worklist.row('E2E-001');
  await expect(ct).toContainText('CT');
  await expect(ct).toContainText('CT HEAD E2E');
  await worklist.expectThumbnailDrawn(ct);
  await worklist.expectThumbnailDrawn(worklist.row('slice.png'));
  await expect(worklist.summary).toHaveText('Showing 1–2 of 2 studies');
  // The study's one series: its slice count, and the matrix on hover.
  await worklist.expand(ct);
  const series = worklist.seriesRows.first();
  await expect(series.getByTestId('series-slices')).toHaveText('5 slices');
  await expect(series.getByTestId('series-slices')).toHaveAttribute('title', /^64 × 64 × 5/);
  await ct.getByTestId('study-expand').click();
  await expect(worklist.seriesRows).toHaveCount(0);

  // Search by patient id narrows the list; clearing restores it.
  await worklist.search.fill('E2E-001');
  await expect(worklist.rows).toHaveCount(1);
  await page.getByTestId('worklist-clear').click();
  await expect(worklist.rows).toHaveCount(2);
  await saveScreen(page, 'worklist');
  await saveScreenAt4k(page, 'worklist');

  // Keyboard: select the first row (the expander click above selected the CT study) and open it
  // with Enter.
  await page.keyboard.press('Home');
  await expect(worklist.rows.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scan-detail-page')).toBeVisible();
});

test('cancel a running import: it stops part-way and the job says cancelled', async ({ page }) => {
  const folder = generateLargeFolder(1500);
  const importer = new ImportPage(page);
  await importer.goto();
  await importer.chooseFolder(folder);
  await expect(importer.jobProgress).toBeVisible({ timeout: 60_000 });
  const jobId = await importer.jobProgress.getAttribute('data-job-id');
  // Running, not merely queued: some files are in, most are not.
  await expect(importer.jobProgress).toHaveAttribute('data-status', 'processing');
  await expect
    .poll(async () => Number(await importer.jobProgress.getAttribute('data-files-done')))
    .toBeGreaterThan(0);
  await importer.cancelButton.click();
  await importer.expectSummary('cancelled', {});
  const imported = Number(
    await importer.summary.getByTestId('summary-imported').locator('dd').textContent(),
  );
  // Part-way: never all of them. (How many were kept depends on the import job's partial report.)
  expect(imported).toBeLessThan(1500);
  await saveScreen(page, 'import-cancelled');

  const jobs = new JobsPage(page);
  await new AppPage(page).open('jobs');
  await jobs.expectStatus(jobId ?? '', 'cancelled');
  await expect(jobs.job(jobId ?? '').getByTestId('job-retry')).toBeVisible();
  await saveScreen(page, 'jobs');
});

test('drag and drop: a dropped image is imported', async ({ page }) => {
  const importer = new ImportPage(page);
  await importer.goto();
  const png = makePng(40, 40, (x, y) => (x * y) % 251);
  await importer.dropFiles([{ name: 'dropped.png', bytes: [...png], type: 'image/png' }]);
  await importer.expectSummary('completed', { imported: 1, duplicates: 0, rejected: 0 });
});
