import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makePng } from '../src-main/test-support/image-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { allowImportFrom, importServerPaths, loginToken, rpc } from './support/api.js';
import { makeLesionVolume, writeFlairStudy } from './support/lesion-volume.js';
import { saveScreen } from './support/screens.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

const RADIOLOGIST = {
  username: 'rita',
  password: 'radiologist-pass-1',
  displayName: 'Dr. Rita Radiologist',
} as const;
const TECHNOLOGIST = {
  username: 'tomas',
  password: 'technologist-pass-1',
  displayName: 'Tomas Technologist',
} as const;
const PATIENT = 'Zoë Ångström-Łukasiewicz';
const IMPRESSION = 'Two FLAIR-hyperintense lesions; the larger one is suspicious for glioma.';

/** The text of a PDF as poppler's pdftotext reads it. */
function pdfText(path: string): string {
  return execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Runs a job-starting method and waits for the job to complete; answers the job's result. */
async function runJob(
  request: APIRequestContext,
  token: string,
  method: string,
  input: unknown,
  timeout: number,
): Promise<{ scanIds?: string[] } | null> {
  const started = await rpc(request, method, input, token);
  expect(started.body.ok, JSON.stringify(started.body.error)).toBe(true);
  const jobId = (started.body.value as { id: string }).id;
  let result: { scanIds?: string[] } | null = null;
  await expect
    .poll(
      async () => {
        const job = (await rpc(request, 'jobs.get', { id: jobId }, token)).body.value as {
          status: string;
          result: { scanIds?: string[] } | null;
        };
        result = job.result;
        return job.status;
      },
      { timeout },
    )
    .toBe('completed');
  return result;
}

async function ensureUser(
  request: APIRequestContext,
  adminToken: string,
  user: { username: string; password: string; displayName: string },
  role: 'radiologist' | 'technologist',
): Promise<void> {
  const created = await rpc(request, 'users.create', { ...user, role }, adminToken);
  // A rerun on the same server finds the account already there.
  if (!created.body.ok) expect(created.body.error?.code).toBe('CONFLICT');
}

let scanId = '';
let patientId = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  await ensureUser(request, admin, RADIOLOGIST, 'radiologist');
  await ensureUser(request, admin, TECHNOLOGIST, 'technologist');

  const patient = await rpc(request, 'patients.create', { name: PATIENT, sex: 'F' }, admin);
  expect(patient.body.ok, JSON.stringify(patient.body.error)).toBe(true);
  patientId = (patient.body.value as { id: string }).id;

  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-report-'));
  const path = join(dir, 'flair.nii.gz');
  writeFileSync(path, makeLesionVolume(Date.now()));
  scanId = await importServerPaths(request, admin, [path], { patientId });
});

async function shot(page: Page, name: string): Promise<void> {
  // On the report page: the PDF viewer paints its pages a moment after the frame loads.
  if ((await page.getByTestId('report-page').count()) > 0) {
    await expect(page.getByTestId('report-pdf')).toBeVisible({ timeout: 30_000 });
    await page.waitForTimeout(2000);
  }
  await page.screenshot({ path: `/tmp/report-ui-${name}.png` });
  await saveScreen(page, `report-${name}`);
}

test('a radiologist writes, signs, downloads and amends the report of an analysed scan', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  await new LoginPage(page).loginAs(RADIOLOGIST);
  await page.goto(`/#/scans/${scanId}`);
  const reportButton = page.getByTestId('scan-report');
  await expect(reportButton).toBeDisabled();
  await expect(reportButton).toHaveAttribute('title', /analyse the scan first/);

  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('lesion-row').first()).toBeVisible({ timeout: 150_000 });
  await expect(reportButton).toHaveText('Write report');
  // The SEG alone, for a PACS, beside "Export results".
  await expect(page.getByTestId('export-dicom-seg')).toBeEnabled();
  await page.screenshot({ path: '/tmp/pacs-export-scan.png' });
  await reportButton.click();

  // A new draft, its findings drafted from the analysis, the impression left to the radiologist.
  await expect(page.getByTestId('report-page')).toBeVisible();
  await expect(page.getByTestId('report-title')).toContainText(PATIENT);
  await expect(page.getByTestId('report-status')).toHaveText('Draft');
  await expect(page.getByTestId('report-findings')).not.toHaveValue('');
  const sign = page.getByTestId('report-sign');
  await expect(sign).toBeDisabled();
  await expect(sign).toHaveAttribute('title', /Write an impression first/);
  await expect(page.getByTestId('report-summary-result')).toContainText('Tumour suspected');

  const impression = page.getByTestId('report-impression');
  await impression.fill(IMPRESSION);
  const saveState = page.getByTestId('report-save-state');
  await expect(saveState).toHaveAttribute('data-state', 'unsaved');

  // Leaving with unsaved changes asks first; staying keeps the text.
  const asked = page.waitForEvent('dialog');
  void page.getByTestId('report-scan-link').click();
  const question = await asked;
  expect(question.message()).toContain('unsaved changes');
  await question.dismiss();
  await expect(page.getByTestId('report-page')).toBeVisible();
  await expect(impression).toHaveValue(IMPRESSION);

  await page.getByTestId('report-save').click();
  await expect(saveState).toHaveAttribute('data-state', 'saved');
  await expect(saveState).toContainText('All changes saved');
  await expect(sign).toBeEnabled();
  // The preview is the PDF the core made, framed from a blob: URL.
  await expect(page.getByTestId('report-pdf')).toHaveAttribute('src', /^blob:/);
  await shot(page, 'draft');

  // Sign: the dialog names what signing means; afterwards the version is read-only.
  await sign.click();
  const confirm = page.getByTestId('confirm-sign');
  await expect(confirm).toContainText('A signed report cannot be changed');
  await confirm.getByTestId('confirm-sign-confirm').click();
  await expect(page.getByTestId('report-status')).toHaveText('Signed');
  await expect(page.getByTestId('report-status-line')).toContainText(
    `Signed by ${RADIOLOGIST.username} at`,
  );
  await expect(page.getByTestId('report-impression')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('report-read-only')).toContainText('cannot be changed');
  await expect(page.getByTestId('report-save')).toHaveCount(0);
  // The core refuses an edit of the signed version whatever the page shows.
  const reportId = page.url().split('/').pop() ?? '';
  const token = await loginToken(request, RADIOLOGIST.username, RADIOLOGIST.password);
  const edit = await rpc(request, 'reports.update', { id: reportId, impression: 'x' }, token);
  expect(edit.body.ok).toBe(false);
  expect(edit.body.error?.code).toBe('CONFLICT');
  await shot(page, 'signed');

  // Download: the signed PDF under the patient's name and the date, with the impression in it.
  const download = page.getByTestId('report-download');
  await expect(download).toBeEnabled();
  const downloading = page.waitForEvent('download');
  await download.click();
  const file = await downloading;
  expect(file.suggestedFilename()).toMatch(
    /^Zoe_Angstrom_Lukasiewicz_\d{4}-\d{2}-\d{2}_report_v1\.pdf$/,
  );
  const path = test.info().outputPath(file.suggestedFilename());
  await file.saveAs(path);
  const text = pdfText(path).replace(/\s+/g, ' ');
  expect(text).toContain(PATIENT);
  expect(text).toContain(IMPRESSION);
  expect(text).not.toContain('DRAFT');

  // DICOM for the PACS: one ZIP with the SEG, the overlays and this version as Encapsulated PDF.
  const downloadingDicom = page.waitForEvent('download');
  await page.getByTestId('report-download-dicom').click();
  const dicomFile = await downloadingDicom;
  expect(dicomFile.suggestedFilename()).toMatch(/_report_v1_DICOM\.zip$/);
  const zipPath = test.info().outputPath(dicomFile.suggestedFilename());
  await dicomFile.saveAs(zipPath);
  const listing = execFileSync('/usr/bin/unzip', ['-l', zipPath], { encoding: 'utf8' });
  expect(listing).toContain('segmentation.dcm');
  expect(listing).toContain('report.dcm');
  await expect(page.getByTestId('report-dicom-notes')).toContainText('Saved');
  await page.screenshot({ path: '/tmp/pacs-export-report.png' });

  // Amend: asks what changes, then opens version 2 as a draft with the same texts.
  await page.getByTestId('report-amend').click();
  const amend = page.getByTestId('amend-dialog');
  await expect(page.getByTestId('amend-confirm')).toBeDisabled();
  await page.getByTestId('amend-changes').fill('Added the follow-up interval');
  await page.getByTestId('amend-confirm').click();
  await expect(amend).toHaveCount(0);
  await expect(page.getByTestId('report-status-line')).toContainText('Version 2');
  await expect(page.getByTestId('report-status')).toHaveText('Draft');
  await expect(page.getByTestId('report-impression')).toHaveValue(IMPRESSION);
  await expect(page.getByTestId('report-version')).toHaveCount(2);
  await expect(page.getByTestId('report-version').nth(1)).toHaveAttribute('data-status', 'final');
  await expect(page.getByTestId('report-versions')).toContainText(
    'Amends: Added the follow-up interval',
  );
  await shot(page, 'amended');

  // The patient page lists both versions and the seed's statistics.
  await page.getByTestId('report-patient-link').click();
  await expect(page.getByTestId('patient-detail-page')).toBeVisible();
  const rows = page.getByTestId('patient-report-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-version', '2');
  await expect(rows.nth(1)).toContainText(RADIOLOGIST.username);
  await expect(page.getByTestId('stat-scans')).toHaveText('1');
  await expect(page.getByTestId('stat-with-tumour')).toHaveText('1');
  await expect(page.getByTestId('stat-without-tumour')).toHaveText('0');
  // A radiologist may not delete reports: only an administrator.
  await expect(page.getByTestId('patient-report-delete')).toHaveCount(0);
  await page.getByTestId('patient-reports').scrollIntoViewIfNeeded();
  await shot(page, 'patient');
});

test('a technologist reads the report but cannot edit or sign it', async ({ page }) => {
  await new LoginPage(page).loginAs(TECHNOLOGIST);
  await page.goto(`/#/patients/${patientId}`);
  await page.getByTestId('patient-report-open').first().click();
  await expect(page.getByTestId('report-page')).toBeVisible();
  await expect(page.getByTestId('report-status')).toHaveText('Draft');
  const sign = page.getByTestId('report-sign');
  await expect(sign).toBeDisabled();
  await expect(sign).toHaveAttribute('title', /technologist\) may not sign/);
  await expect(page.getByTestId('report-impression')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('report-read-only')).toContainText('technologist');
  await expect(page.getByTestId('report-pdf')).toBeVisible();
  await shot(page, 'technologist');
});

test('an administrator sets the letterhead and deletes a report after confirming', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/settings');
  const clinic = page.getByTestId('clinic-settings');
  await expect(clinic).toBeVisible();
  await page.getByTestId('clinic-name').fill('Klinika Świętokrzyska');
  await page.getByTestId('clinic-address').fill('ul. Żeromskiego 5, Kielce');
  // A logo that is not a picture is refused with the reason; a PNG is shown before saving.
  await page.getByTestId('clinic-logo-input').setInputFiles({
    name: 'logo.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a picture'),
  });
  await expect(clinic.getByTestId('error-message')).toContainText('not a PNG or JPEG');
  await page.getByTestId('clinic-logo-input').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: makePng(160, 60, (x, y) => (((x >> 3) + (y >> 3)) % 2 === 0 ? 40 : 200)),
  });
  await expect
    .poll(() =>
      page.getByTestId('clinic-logo').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    )
    .toBe(160);
  await page.getByTestId('clinic-save').click();
  await expect(page.getByTestId('clinic-save-state')).toContainText('Saved');
  await clinic.scrollIntoViewIfNeeded();
  await shot(page, 'settings');

  await page.goto(`/#/patients/${patientId}`);
  await expect(page.getByTestId('patient-report-row')).toHaveCount(2);
  await page.getByTestId('patient-report-delete').first().click();
  const confirm = page.getByTestId('confirm-delete-report');
  await expect(confirm).toContainText('all its 2 versions, signed ones included');
  await confirm.getByTestId('confirm-delete-report-confirm').click();
  await expect(page.getByTestId('patient-reports-empty')).toBeVisible();
});

test('the scan page shows growth over time against the earlier analysed study', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-growth-'));
  const patient = { patientId: `E2E-GROWTH-${Date.now()}`, patientName: 'Growth^Gustav' };
  const scanIds: string[] = [];
  for (const [name, studyDate, growth] of [
    ['jan', '20260105', 1],
    ['apr', '20260406', 1.25],
  ] as const) {
    const paths = writeFlairStudy(join(dir, name), { ...patient, studyDate, growth });
    await allowImportFrom(request, paths);
    const imported = await runJob(request, admin, 'import.files', { paths }, 60_000);
    const scanId = imported?.scanIds?.[0] ?? '';
    await runJob(request, admin, 'analysis.start', { scanId }, 150_000);
    scanIds.push(scanId);
  }

  await new LoginPage(page).loginAs(RADIOLOGIST);
  await page.goto(`/#/scans/${scanIds[1]!}`);
  const panel = page.getByTestId('growth-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText('2 studies');
  const rows = page.getByTestId('growth-row');
  await expect(rows.first()).toContainText('2026-01-05');
  await expect(rows.nth(1)).toContainText('2026-04-06');
  // The lesion grew: a positive change against January, per month too.
  await expect(rows.nth(1)).toContainText(/\+\d+ %/);
  await expect
    .poll(() =>
      page.getByTestId('growth-plot').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    )
    .toBeGreaterThan(100);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/report-ui-growth.png' });
  await saveScreen(page, 'report-growth');
});
