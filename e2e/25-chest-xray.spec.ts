import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chestPixel } from '../src-main/test-support/chest-fixtures.js';
import { makePng } from '../src-main/test-support/image-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ImportPage } from './pages/import-page.js';
import { ViewerPage } from './pages/viewer-page.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';
import { saveScreen } from './support/screens.js';

// A chest radiograph imported as a PNG: the viewer shows it with window/level and zoom, the
// image gate sends it to the chest X-ray pipeline (not the brain one), and the result panel
// shows normal/pneumonia with its probabilities and the heatmap, over the radiograph or alone.

test.beforeAll(async ({ request }) => {
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
});

test('a chest X-ray PNG gets its own result with the heatmap overlay', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-cxr-'));
  const path = join(dir, 'radiograph-25.png');
  const pixel = chestPixel(512, 512, 255);
  writeFileSync(
    path,
    makePng(512, 512, (x, y) => pixel(y, x)),
  );

  await new LoginPage(page).loginAs(ADMIN);
  const importer = new ImportPage(page);
  await importer.goto();
  await importer.chooseFiles([path]);
  await importer.expectSummary('completed', { imported: 1, rejected: 0 });

  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  const { body } = await rpc(request, 'scans.list', { limit: 100 }, token);
  const scan = (body.value as { items: Array<{ id: string; description: string | null }> }).items
    .filter((s) => s.description === 'radiograph-25.png')
    .at(0);
  if (scan === undefined) throw new Error('the imported radiograph is not listed');
  await page.goto(`/#/scans/${scan.id}`);
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  const first = await viewer.sampleCanvas();
  expect(first.levels).toBeGreaterThan(5);

  // Window/level by dragging, then zoom: each changes what is drawn.
  await viewer.dragWindow(0, 80);
  const windowed = await viewer.sampleCanvas();
  expect(windowed.histogram).not.toEqual(first.histogram);
  const beforeZoom = await viewer.renderCount();
  await page.getByTestId('zoom-in').click();
  await viewer.waitForRender(beforeZoom);
  expect((await viewer.sampleCanvas()).histogram).not.toEqual(windowed.histogram);

  await page.getByTestId('analyse').click();
  const verdict = page.getByTestId('analysis-verdict');
  await expect(verdict).toHaveText(/^(Pneumonia suggested|No pneumonia seen)/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('analysis-probabilities')).toContainText('pneumonia');
  await expect(page.getByTestId('analysis-probabilities')).toContainText('normal');
  await expect(page.getByTestId('analysis-images')).toContainText(
    'Class activation map of the radiograph',
  );

  // The overlay (heatmap over the radiograph) first, then the heatmap alone.
  const picture = page.getByTestId('analysis-overlay');
  await expect
    .poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBe(512);
  const overlaySrc = await picture.getAttribute('src');
  await page.getByTestId('analysis-image-heatmap').click();
  await expect(page.getByTestId('analysis-image-heatmap')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => picture.getAttribute('src')).not.toBe(overlaySrc);
  await expect
    .poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBe(512);
  await page.getByTestId('analysis-image-overlay').click();
  await saveScreen(page, 'chest-xray');
});
