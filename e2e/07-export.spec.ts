import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/auth-pages.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN } from './support/accounts.js';
import { saveScreen } from './support/screens.js';

/** A ZIP's entry names as Info-ZIP's `unzip` reads them from its central directory. */
function zipEntryNames(path: string): string[] {
  return execFileSync('/usr/bin/unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
}

// Uses the CT series imported by 02-import.spec.ts and analysed (forced) by 03-viewer.spec.ts.
test('Export results downloads the latest analysis as a ZIP: mask, pictures and results', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.open('E2E-001');
  await expect(page.getByTestId('analysis-summary')).toBeVisible();

  const exportResults = page.getByTestId('export-results');
  await expect(exportResults).toBeEnabled();
  const downloading = page.waitForEvent('download');
  await exportResults.click();
  const download = await downloading;
  const fileName = download.suggestedFilename();
  // Uploaded without a folder, the series is named by its description, not the staging folder.
  expect(fileName).toBe('AX BRAIN_analysis.zip');
  const path = test.info().outputPath(fileName);
  await download.saveAs(path);

  const base = fileName.slice(0, -'_analysis.zip'.length);
  // The CT volume's mask is NIfTI with the scan's geometry; the forced run's classifier adds
  // the class activation heatmap and overlay.
  expect(zipEntryNames(path)).toEqual([
    `${base}_mask.nii.gz`,
    `${base}_heatmap.png`,
    `${base}_overlay.png`,
    `${base}_results.json`,
  ]);
  const results = JSON.parse(
    execFileSync('/usr/bin/unzip', ['-p', path, `${base}_results.json`], { encoding: 'utf8' }),
  ) as { applicability: { verdict: string }; outputs: { hasMask: boolean } };
  expect(results).toMatchObject({
    applicability: { verdict: 'forced' },
    outputs: { hasMask: true },
  });

  await expect(page.getByTestId('export-notes')).toContainText(`Saved ${fileName}`);
  await saveScreen(page, 'export-results');
});
