import { expect, test, type APIRequestContext } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ImportPage } from './pages/import-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN } from './support/accounts.js';
import { rpc, sessionTokenOf } from './support/api.js';
import { generateWorklistStudies } from './support/fixture-files.js';
import { saveScreen } from './support/screens.js';

// The dashboard's "this month" is the user's month: the browser runs in Berlin here.
test.use({ timezoneId: 'Europe/Berlin' });
test.describe.configure({ mode: 'serial' });

/** The suite's earlier specs create the administrator; run alone, this one does. */
async function ensureAdmin(request: APIRequestContext): Promise<void> {
  const { body } = await rpc(request, 'auth.status', {});
  if ((body.value as { needsSetup: boolean }).needsSetup) await rpc(request, 'auth.setup', ADMIN);
}

test('study worklist: two series of one study, search, filters, honest import summary, named jobs', async ({
  page,
  request,
}) => {
  await ensureAdmin(request);
  await new LoginPage(page).loginAs(ADMIN);
  const files = generateWorklistStudies();
  const all = [...files.flair3, ...files.flair7, ...files.ct];

  // Import: a green summary with a link to each scan it brought in, named by series and patient.
  const importer = new ImportPage(page);
  await importer.goto();
  await importer.chooseFiles(all);
  await importer.expectSummary('completed', { imported: 13, duplicates: 0, rejected: 0 });
  await expect(importer.summary).toHaveAttribute('data-tone', 'success');
  const links = importer.summary.getByTestId('summary-scan-link');
  await expect(links).toHaveCount(3);
  await expect(importer.summary.getByTestId('summary-scan-links')).toContainText(
    'Series 7 · AX FLAIR (MR) · Worklist, Wanda (E2E-WL)',
  );
  const series7 = links.filter({ hasText: 'Series 7' });
  const series7Id = await series7.getAttribute('data-scan-id');
  await saveScreen(page, 'worklist-import-summary');
  // The link opens that scan.
  await series7.click();
  await expect(page.getByTestId('scan-detail-page')).toBeVisible();
  expect(page.url()).toContain(`#/scans/${series7Id}`);

  // The same files again: nothing new, said in amber with the reason, not as a green success.
  await importer.goto();
  await importer.chooseFiles(all);
  await importer.expectSummary('completed', { imported: 0, duplicates: 13 });
  await expect(importer.summary).toHaveAttribute('data-tone', 'warning');
  await expect(importer.summary.getByRole('heading')).toHaveText('Nothing new was imported');
  await expect(importer.summary.getByTestId('import-summary-explanation')).toHaveText(
    'All 13 files were already imported (duplicates): nothing new was added.',
  );
  await expect(importer.summary.getByTestId('import-summary-status')).toHaveText('Nothing new');
  // Amber: the theme's warning colour (#e3b341), on the panel's border.
  await expect(importer.summary).toHaveCSS('border-top-color', 'rgb(227, 179, 65)');
  await saveScreen(page, 'worklist-import-nothing-new');

  // The worklist finds the study by its description; it is one row with both series.
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search.fill('MRI BRAIN');
  await expect(worklist.rows).toHaveCount(1);
  const study = worklist.rows.first();
  await expect(study).toContainText('Worklist, Wanda');
  await expect(study.getByTestId('study-patient-id')).toHaveText('E2E-WL');
  await expect(study.getByTestId('study-description')).toHaveText('MRI BRAIN');
  await expect(study.getByTestId('study-series-count')).toHaveText('2');
  await expect(study.getByTestId('finding')).toHaveText('Not analysed');

  // Keyboard: select the study, Right shows its series, Right again steps in, Left steps out
  // and then hides them; Enter opens.
  await worklist.search.blur();
  await page.keyboard.press('ArrowDown');
  await expect(study).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(worklist.seriesRows).toHaveCount(2);
  // The two FLAIR series tell apart by series number and slice count.
  await expect(worklist.seriesRows.getByTestId('series-open')).toHaveText(['Series 3', 'Series 7']);
  await expect(worklist.seriesRows.getByTestId('series-description')).toHaveText([
    'AX FLAIR',
    'AX FLAIR',
  ]);
  await expect(worklist.seriesRows.getByTestId('series-slices')).toHaveText([
    '4 slices',
    '6 slices',
  ]);
  await worklist.expectThumbnailDrawn(worklist.seriesRows.nth(1));
  await saveScreen(page, 'worklist-study-expanded');
  await page.keyboard.press('ArrowRight');
  await expect(worklist.seriesRows.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(worklist.seriesRows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(study).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(worklist.seriesRows).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scan-detail-page')).toBeVisible();
  expect(page.url()).toContain(`#/scans/${series7Id}`);

  // "MR" matches the modality; the modality filter keeps what the store holds.
  await worklist.goto();
  await worklist.search.fill('E2E-WL');
  await expect(worklist.rows).toHaveCount(2);
  await worklist.search.fill('MR wanda');
  await expect(worklist.rows).toHaveCount(1);
  await worklist.search.fill('E2E-WL');
  await expect(worklist.rows).toHaveCount(2);
  await worklist.modalityFilter.selectOption('CT');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first()).toContainText('CT HEAD');
  await worklist.modalityFilter.selectOption('MR');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first()).toContainText('MRI BRAIN');
  await worklist.modalityFilter.selectOption('');

  // Analyse the CT series: the FLAIR model does not read CT, so its finding is "Not applicable"
  // with the reason on hover, and the result filter finds it.
  const token = await sessionTokenOf(page);
  const ctRow = worklist.row('CT HEAD');
  await worklist.expand(ctRow);
  const ctScanId = await worklist.seriesRows.first().getAttribute('data-scan-id');
  const started = await rpc(request, 'analysis.start', { scanId: ctScanId }, token);
  expect(started.body.ok).toBe(true);
  await worklist.resultFilter.selectOption('not-applicable');
  await expect(worklist.rows).toHaveCount(1, { timeout: 60_000 });
  const finding = worklist.row('CT HEAD').getByTestId('finding');
  await expect(finding).toHaveText('Not applicable');
  await expect(finding).toHaveAttribute('title', /FLAIR/);
  await worklist.resultFilter.selectOption('not-analysed');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first()).toContainText('MRI BRAIN');
  await worklist.resultFilter.selectOption('');
  await saveScreen(page, 'worklist-filtered');

  // Jobs name their scan and patient.
  await new AppPage(page).open('jobs');
  const jobs = new JobsPage(page);
  const analysisJob = jobs.rows.filter({ hasText: 'Series 2 · AXIAL (CT)' });
  await expect(analysisJob.first()).toBeVisible();
  await expect(analysisJob.first().getByTestId('job-patient')).toHaveText(
    'Worklist, Carl (E2E-WL-CT)',
  );
  await expect(
    jobs.rows.getByTestId('job-patient').filter({ hasText: 'Worklist, Wanda (E2E-WL)' }).first(),
  ).toContainText('3 scans');
  await saveScreen(page, 'worklist-jobs');

  // The dashboard counts studies, in the user's month and time zone.
  await new AppPage(page).open('dashboard');
  const stats = (await rpc(request, 'dashboard.stats', { timeZone: 'Europe/Berlin' }, token)).body
    .value as { totalStudies: number; studiesThisMonth: number };
  await expect(page.getByTestId('stat-studies-value')).toHaveText(String(stats.totalStudies));
  await expect(page.getByTestId('stat-studies-this-month-value')).toHaveText(
    String(stats.studiesThisMonth),
  );
  await expect(page.getByTestId('stat-studies-this-month')).toContainText('(Europe/Berlin)');
  await saveScreen(page, 'worklist-dashboard');
});
