import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/auth-pages.js';
import { ViewerPage } from './pages/viewer-page.js';
import { WorklistPage } from './pages/worklist-page.js';
import { ADMIN } from './support/accounts.js';
import { saveScreen, saveScreenAt4k } from './support/screens.js';

// Uses the CT series imported by 02-import.spec.ts.
test('the viewer draws the CT series, and window/level changes what it draws', async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.open('E2E-001');

  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  await expect(page.getByTestId('viewport-slice')).toHaveText('Slice 3 / 5');
  const first = await viewer.sampleCanvas();
  expect(first.width).toBeGreaterThan(100);
  // A real picture: many grey levels and a lit region (the head), not a blank or black canvas.
  expect(first.levels).toBeGreaterThan(5);
  expect(first.litFraction).toBeGreaterThan(0.1);
  expect(first.litFraction).toBeLessThan(0.95);

  // Bone window: soft tissue goes dark, only the skull stays bright.
  await viewer.applyPreset('bone');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 600 / W 2800');
  const bone = await viewer.sampleCanvas();
  expect(bone.mean).not.toBeCloseTo(first.mean, 0);
  expect(bone.histogram).not.toEqual(first.histogram);

  // Brain window, then a drag: the window widens and the picture changes again.
  await viewer.applyPreset('brain');
  const brain = await viewer.sampleCanvas();
  const widthBefore = Number(await viewer.viewport.getAttribute('data-window-width'));
  await viewer.dragWindow(120, 0);
  expect(Number(await viewer.viewport.getAttribute('data-window-width'))).toBeGreaterThan(
    widthBefore,
  );
  const dragged = await viewer.sampleCanvas();
  expect(dragged.histogram).not.toEqual(brain.histogram);

  // Invert flips the picture (the black margin around the image stays black).
  const beforeInvert = await viewer.renderCount();
  await page.getByTestId('invert').click();
  await viewer.waitForRender(beforeInvert);
  const inverted = await viewer.sampleCanvas();
  expect(inverted.histogram).not.toEqual(dragged.histogram);
  expect(Math.abs(inverted.mean - dragged.mean)).toBeGreaterThan(10);
  await expect(viewer.viewport).toHaveAttribute('data-invert', 'true');

  await expect(page.getByTestId('attribute-panel')).toContainText('E2E-001');
  await expect(page.getByTestId('processing-status')).toHaveAttribute('data-status', 'imported');

  // Nothing stored yet: "Export results" is there but says why it cannot run.
  const exportResults = page.getByTestId('export-results');
  await expect(exportResults).toBeDisabled();
  await expect(exportResults).toHaveAttribute('title', /analyse the scan first/);

  // Analyse with the shipped models: the job's outcome reaches the panel by events. This series
  // is CT, which the FLAIR MR model does not read: it says so instead of giving a finding.
  await page.getByTestId('analyse').click();
  const summary = page.getByTestId('analysis-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('analysis-verdict')).toHaveText('Not applicable');
  await expect(page.getByTestId('analysis-not-applicable')).toContainText(
    'This model reads axial brain FLAIR MR; this series is CT',
  );
  // Forced, it runs: the result carries the warning, and the classifier's overlay (class
  // activation map on the slice) is fetched and drawn.
  await page.getByTestId('analyse-anyway').click();
  await expect(page.getByTestId('analysis-warnings')).toContainText('Run on request', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('analysis-verdict')).not.toHaveText('Not applicable');
  await expect(page.getByTestId('analysis-notes')).toContainText('a radiologist must review it');
  const overlay = page.getByTestId('analysis-overlay');
  await expect(overlay).toBeVisible();
  await expect
    .poll(() => overlay.evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
  await page.getByTestId('reset').click();
  await saveScreen(page, 'viewer');
  await saveScreenAt4k(page, 'viewer');
});
