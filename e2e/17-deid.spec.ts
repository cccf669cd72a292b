import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { mrSliceWithPhi } from '../src-main/test-support/deid-fixtures.js';
import { makeDicom } from '../src-main/test-support/dicom-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, loginToken, rpc } from './support/api.js';
import { saveScreen } from './support/screens.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

let scanId = '';
let burnedScanId = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(90_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-deid-'));
  const run = Date.now();
  const study = `1.2.826.0.1.3680043.8.498.17.${run}`;
  const series = `${study}.1`;
  const paths = [1, 2].map((i) => {
    const path = join(dir, `IM${i}.dcm`);
    writeFileSync(
      path,
      mrSliceWithPhi({
        studyInstanceUid: study,
        seriesInstanceUid: series,
        sopInstanceUid: `${series}.${i}`,
        instanceNumber: i,
        imagePosition: [0, 0, i * 5],
        seriesDescription: 'AX T2 DEID',
      }),
    );
    return path;
  });
  scanId = await importServerPaths(request, admin, paths);
  const burned = join(dir, 'burned.dcm');
  writeFileSync(
    burned,
    makeDicom({
      studyInstanceUid: `${study}.9`,
      seriesDescription: 'SCREENSHOT',
      extraAttributes: { BurnedInAnnotation: 'YES' },
    }),
  );
  burnedScanId = await importServerPaths(request, admin, [burned]);
});

function zipEntryNames(path: string): string[] {
  return execFileSync('/usr/bin/unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
}

test('a series is exported de-identified with the options chosen in the dialog', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto(`/#/scans/${scanId}`);
  await page.getByTestId('scan-deidentify').click();
  const dialog = page.getByTestId('deidentify-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('deid-dates').selectOption('offset');
  await page.getByTestId('deid-patient-characteristics').check();
  await page.screenshot({ path: '/tmp/deid-dialog.png' });
  await saveScreen(page, 'deidentify-dialog');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('deid-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ANON-[0-9A-F]{10}_scan_deidentified\.zip$/);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  expect(zipEntryNames(path)).toEqual(['S001-IM0001.dcm', 'S001-IM0002.dcm']);
  const zipped = readFileSync(path).toString('latin1');
  expect(zipped).not.toContain('NS-0042');
  await expect(page.getByTestId('deid-saved')).toContainText('2 DICOM files as ANON-');
  await page.screenshot({ path: '/tmp/deid-saved.png' });
});

test('an image with burned-in text is refused until the user confirms', async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto(`/#/scans/${burnedScanId}`);
  await page.getByTestId('scan-deidentify').click();
  await page.getByTestId('deid-export').click();
  const refusal = page.getByTestId('deid-burned-in');
  await expect(refusal).toContainText('Burned In Annotation is YES');
  await expect(page.getByTestId('deid-export')).toBeDisabled();
  await page.screenshot({ path: '/tmp/deid-burned-in.png' });
  await page.getByTestId('deid-allow-burned-in').check();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('deid-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/_scan_deidentified\.zip$/);
  await expect(page.getByTestId('deid-saved')).toContainText('1 DICOM files');
});
