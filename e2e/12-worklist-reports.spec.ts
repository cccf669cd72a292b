import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { fixtureUid, writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN } from './support/accounts.js';
import { allowImportFrom, loginToken, rpc } from './support/api.js';
import { saveScreen } from './support/screens.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

const MRN = 'E2E-HP';

interface ShownSeries {
  scanId: string;
  description: string | null;
  finding: { kind: string };
}

/** The series of the test's study as the worklist method lists them. */
async function seriesOfStudy(request: APIRequestContext, token: string): Promise<ShownSeries[]> {
  const { body } = await rpc(
    request,
    'worklist.list',
    { search: MRN, sort: 'createdAt', order: 'desc', page: 1, limit: 25 },
    token,
  );
  expect(body.ok, JSON.stringify(body.error)).toBe(true);
  return (body.value as { items: Array<{ series: ShownSeries[] }> }).items.flatMap((s) => s.series);
}

let token = '';
let t1Id = '';
let flairId = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(150_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  token = await loginToken(request, ADMIN.username, ADMIN.password);

  // A brain MR study whose T1 is numbered before its FLAIR, as scanners often do.
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-hanging-'));
  const study = {
    patientName: 'Hanging^Hilde',
    patientId: MRN,
    studyInstanceUid: fixtureUid(),
    studyDate: '20261120',
    studyDescription: 'MRI BRAIN HP',
    modality: 'MR',
    rows: 32,
    columns: 32,
    pixelSpacing: [0.9, 0.9] as [number, number],
  };
  const t1 = writeDicomSeries(join(dir, 't1'), 3, {
    ...study,
    seriesNumber: 1,
    seriesDescription: 'SAG T1 MPRAGE',
    prefix: 't1',
  });
  const flair = writeDicomSeries(join(dir, 'flair'), 4, {
    ...study,
    seriesNumber: 4,
    seriesDescription: 'AX FLAIR',
    prefix: 'flair',
  });
  await allowImportFrom(request, [...t1, ...flair]);
  const started = await rpc(request, 'import.files', { paths: [...t1, ...flair] }, token);
  expect(started.body.ok, JSON.stringify(started.body.error)).toBe(true);
  const jobId = (started.body.value as { id: string }).id;
  await expect
    .poll(
      async () =>
        ((await rpc(request, 'jobs.get', { id: jobId }, token)).body.value as { status: string })
          .status,
      { timeout: 30_000 },
    )
    .toBe('completed');
  const series = await seriesOfStudy(request, token);
  t1Id = series.find((s) => s.description === 'SAG T1 MPRAGE')?.scanId ?? '';
  flairId = series.find((s) => s.description === 'AX FLAIR')?.scanId ?? '';
  expect(t1Id).not.toBe('');
  expect(flairId).not.toBe('');

  // A report needs an analysis: analyse the T1 (whatever the model makes of it).
  const analysis = await rpc(request, 'analysis.start', { scanId: t1Id }, token);
  expect(analysis.body.ok, JSON.stringify(analysis.body.error)).toBe(true);
  await expect
    .poll(
      async () =>
        (await seriesOfStudy(request, token)).find((s) => s.scanId === t1Id)?.finding.kind,
      { timeout: 120_000 },
    )
    .not.toBe('not-analysed');
});

test('a brain MR study opens at its FLAIR, though its T1 is numbered first', async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search.fill(MRN);
  await expect(worklist.rows).toHaveCount(1);
  const study = worklist.rows.first();

  // Keyboard: select the study row and press Enter.
  await worklist.search.blur();
  await page.keyboard.press('ArrowDown');
  await expect(study).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scan-detail-page')).toBeVisible();
  expect(page.url()).toContain(`#/scans/${flairId}`);

  // Mouse: the study's link, with the T1 listed first among its series.
  await worklist.goto();
  await worklist.expand(worklist.rows.first());
  await expect(worklist.seriesRows.getByTestId('series-open')).toHaveText(['Series 1', 'Series 4']);
  await expect(worklist.seriesRows.getByTestId('series-description')).toHaveText([
    'SAG T1 MPRAGE',
    'AX FLAIR',
  ]);
  const link = worklist.rows.first().getByTestId('scan-open');
  await expect(link).toHaveAttribute('href', `#/scans/${flairId}`);
  await link.click();
  await expect(page.getByTestId('scan-detail-page')).toBeVisible();
  expect(page.url()).toContain(`#/scans/${flairId}`);
});

test('the Report column shows draft and signed reports, and the report filter finds them', async ({
  page,
  request,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  const worklist = new WorklistPage(page);
  const reportFilter = page.getByTestId('worklist-report-filter');
  await worklist.goto();
  await worklist.search.fill(MRN);
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first().getByTestId('report-state')).toHaveText('No report');

  // A draft of the T1's report: the study counts it, the filter finds the T1 alone.
  const created = await rpc(request, 'reports.create', { scanId: t1Id }, token);
  expect(created.body.ok, JSON.stringify(created.body.error)).toBe(true);
  const reportId = (created.body.value as { id: string }).id;
  await reportFilter.selectOption('draft');
  await expect(worklist.rows).toHaveCount(1);
  const study = worklist.rows.first();
  await expect(study.getByTestId('report-state')).toHaveText('1 draft of 2');
  await expect(study.getByTestId('study-series-count')).toHaveText('1 of 2');
  await worklist.expand(study);
  await expect(worklist.seriesRows).toHaveCount(1);
  await expect(worklist.seriesRows.first()).toHaveAttribute('data-scan-id', t1Id);
  await expect(worklist.seriesRows.getByTestId('report-state')).toHaveText('Draft v1');
  await reportFilter.selectOption('signed');
  await expect(worklist.empty).toBeVisible();

  // Signed: "Signed v1 by admin", the date on hover; the unreported FLAIR under "No report".
  const edited = await rpc(
    request,
    'reports.update',
    { id: reportId, impression: 'No FLAIR-hyperintense lesion.' },
    token,
  );
  expect(edited.body.ok, JSON.stringify(edited.body.error)).toBe(true);
  const signed = await rpc(request, 'reports.sign', { id: reportId }, token);
  expect(signed.body.ok, JSON.stringify(signed.body.error)).toBe(true);
  await reportFilter.selectOption('');
  // The study stays expanded across filter changes.
  await reportFilter.selectOption('signed');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.seriesRows).toHaveCount(1);
  const signedCell = worklist.seriesRows.getByTestId('report-state');
  await expect(signedCell).toHaveText('Signed v1 by admin');
  await expect(signedCell).toHaveAttribute('title', /^Signed by admin at \d{4}-\d\d-\d\d /);
  await expect(signedCell).toHaveCSS('color', 'rgb(86, 211, 100)');
  await saveScreen(page, 'worklist-report-signed');

  await reportFilter.selectOption('none');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first().getByTestId('report-state')).toHaveText('1 signed of 2');
  await expect(worklist.seriesRows).toHaveCount(1);
  await expect(worklist.seriesRows.first()).toHaveAttribute('data-scan-id', flairId);
  await expect(worklist.seriesRows.getByTestId('report-state')).toHaveText('No report');

  // All of the study: both series with their own report state.
  await reportFilter.selectOption('');
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.seriesRows.getByTestId('report-state')).toHaveText([
    'Signed v1 by admin',
    'No report',
  ]);
  await page.screenshot({ path: '/tmp/worklist-reports-column.png' });
  await saveScreen(page, 'worklist-report-column');
});
