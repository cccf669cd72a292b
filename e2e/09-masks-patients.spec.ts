import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makePng } from '../src-main/test-support/image-fixtures.js';
import { makeNifti } from '../src-main/test-support/volume-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { PatientsPage } from './pages/patients-page.js';
import { ViewerPage } from './pages/viewer-page.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, rpc, sessionTokenOf } from './support/api.js';
import { makeLesionVolume } from './support/lesion-volume.js';

test.describe.configure({ mode: 'serial' });

interface StoredLesion {
  centroid: { voxels: [number, number, number] };
  boundingBox: { voxels: { min: [number, number, number]; max: [number, number, number] } };
}

/**
 * An expert's BraTS label map of the lesion volume's large lesion (centre 90, 100, slice 6),
 * on the same grid: necrotic core (1) in the middle, enhancing tumour (4) around it, oedema (2)
 * reaching beyond what the AI segments. The small lesion is not labelled, so the two disagree.
 */
function makeExpertLabels(): Buffer {
  return makeNifti({
    dims: [256, 256, 12],
    datatype: 'uint8',
    gzip: true,
    voxel: (i, j, k) => {
      const r = Math.hypot(i - 90, j - 100, (k - 6) * 3);
      if (r < 8) return 1;
      if (r < 16) return 4;
      if (r < 38) return 2;
      return 0;
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-masks-'));
const volumePath = join(dir, 'case-flair.nii.gz');
const labelsPath = join(dir, 'case-seg.nii.gz');
const picturePath = join(dir, 'follow-up.png');
let scanId = '';

test.beforeAll(async ({ browser, request }) => {
  writeFileSync(volumePath, makeLesionVolume(Date.now()));
  writeFileSync(labelsPath, makeExpertLabels());
  writeFileSync(
    picturePath,
    makePng(40, 30, (x, y) => (x * 7 + y * 5 + (Date.now() % 200)) % 256),
  );
  // Run alone (not after 01, which sets the app up), the server still needs its first admin.
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  const page = await browser.newPage();
  await new LoginPage(page).loginAs(ADMIN);
  scanId = await importServerPaths(request, await sessionTokenOf(page), [volumePath]);
  await page.close();
});

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('the AI mask and an expert label map together: two colours, a legend, the Dice; lesions stepped through', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const token = await sessionTokenOf(page);
  await page.goto(`/#/scans/${scanId}`);
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();

  await page.getByTestId('add-label-map-file').setInputFiles(labelsPath);
  await expect(page.getByTestId('add-label-map-done')).toContainText('case-seg.nii.gz added');
  await page.getByTestId('analyse').click();
  const rows = page.getByTestId('lesion-row');
  await expect(rows.first()).toBeVisible({ timeout: 180_000 });

  // Step through the lesions with N and P: each shows its centre slice.
  const analysis = (await rpc(request, 'analysis.get', { scanId }, token)).body.value as {
    findings: { detections: StoredLesion[] };
  };
  const lesions = analysis.findings.detections;
  expect(lesions.length).toBeGreaterThanOrEqual(2);
  await expect(rows).toHaveCount(lesions.length);
  await expect(rows.first()).toContainText(/\d mL · [\d.]+ × [\d.]+ × [\d.]+ mm · max\. diameter/);
  const centre = (lesion: StoredLesion): number =>
    Math.min(
      lesion.boundingBox.voxels.max[2],
      Math.max(lesion.boundingBox.voxels.min[2], Math.round(lesion.centroid.voxels[2])),
    );
  const slices = lesions.map(centre);
  expect(new Set(slices).size).toBeGreaterThan(1);
  await viewer.viewport.focus();
  for (const [n, slice] of slices.entries()) {
    await page.keyboard.press('n');
    await expect(page.getByTestId('viewport-slice')).toHaveText(`Slice ${slice + 1} / 12`);
    await expect(page.getByTestId('lesion-position')).toHaveText(
      `Lesion ${n + 1} of ${lesions.length}`,
    );
    await expect(rows.nth(n)).toHaveAttribute('data-selected', 'true');
  }
  await page.keyboard.press('p');
  await expect(page.getByTestId('viewport-slice')).toHaveText(
    `Slice ${slices[slices.length - 2]! + 1} / 12`,
  );
  await page.getByTestId('lesion-previous').click();
  await expect(page.getByTestId('lesion-position')).toHaveText(
    `Lesion ${lesions.length - 2 || lesions.length} of ${lesions.length}`,
  );

  // Lesion 1 (the large one) has both masks on it. Stepping turned the AI mask on.
  await rows.first().getByTestId('lesion-go-to').click();
  await expect(viewer.viewport).toHaveAttribute('data-index', String(slices[0]));
  await expect(page.getByTestId('mask-analysis')).toBeChecked();
  await page.getByTestId('mask-analysis').uncheck();
  await expect.poll(() => viewer.overlayPixels()).toBe(0);
  const bare = await viewer.colourCounts();

  const segmentation = page.getByTestId('mask-segmentation');
  await segmentation.selectOption({ label: 'case-seg.nii.gz (labels 1, 2, 4)' });
  await page.getByTestId('mask-analysis').check();
  const legend = page.getByTestId('legend-name');
  await expect(legend).toHaveText([
    'Tumour (AI mask)',
    'Necrotic / non-enhancing tumour core (1)',
    'Peritumoural oedema (2)',
    'Enhancing tumour (4)',
  ]);
  await expect.poll(() => viewer.overlayPixels()).toBeGreaterThan(500);
  const both = await viewer.colourCounts();
  await page.screenshot({ path: '/tmp/masks-patients-both.png' });
  // Both drawn, each in its colour: cyan AI inside, green oedema around it.
  expect(both.cyan - bare.cyan).toBeGreaterThan(300);
  expect(both.green - bare.green).toBeGreaterThan(300);

  // The expert alone: its core and enhancing rim show in red and yellow, no cyan left.
  const aiRow = page.locator('[data-testid="legend-row"][data-source="analysis"]');
  await aiRow.getByTestId('legend-visible').uncheck();
  await expect.poll(async () => (await viewer.colourCounts()).cyan).toBeLessThan(bare.cyan + 20);
  const expert = await viewer.colourCounts();
  expect(expert.red - bare.red).toBeGreaterThan(50);
  expect(expert.yellow - bare.yellow).toBeGreaterThan(50);
  expect(expert.green - bare.green).toBeGreaterThan(300);
  await page.screenshot({ path: '/tmp/masks-patients-expert.png' });

  // Per-label: oedema hidden, then its opacity back on at 80 %.
  const oedema = page.locator('[data-testid="legend-row"][data-label="2"]');
  await oedema.getByTestId('legend-visible').uncheck();
  await expect.poll(async () => (await viewer.colourCounts()).green).toBeLessThan(bare.green + 20);
  await oedema.getByTestId('legend-visible').check();
  await oedema.getByTestId('legend-opacity').fill('80');
  await expect.poll(async () => (await viewer.colourCounts()).green).toBeGreaterThan(both.green);
  await aiRow.getByTestId('legend-visible').check();

  // The Dice and volume difference, as the core computes them on the scan's grid.
  const comparison = (
    await rpc(
      request,
      'analysis.compareSegmentation',
      {
        scanId,
        segmentationId: await segmentation.inputValue(),
      },
      token,
    )
  ).body.value as { dice: number; differencePercent: number };
  expect(comparison.dice).toBeGreaterThan(0.05);
  expect(comparison.dice).toBeLessThan(0.95);
  await expect(page.getByTestId('mask-dice')).toHaveText(`Dice ${comparison.dice.toFixed(2)}`);
  await expect(page.getByTestId('mask-difference')).toHaveText(
    /^difference [−+]?[\d.]+ mL \([−+]?[\d.]+%\)$/,
  );
  await expect(page.getByTestId('mask-comparison')).toContainText('Whole tumour');
  await page.screenshot({ path: '/tmp/masks-patients-viewer.png' });
});

test('a NIfTI scan assigned to a new patient is listed under them; import from the patient page', async ({
  page,
}) => {
  await page.goto(`/#/scans/${scanId}`);
  await expect(page.getByTestId('scan-detail-page')).toContainText('Unknown patient');
  await page.getByTestId('scan-assign-patient').click();
  const dialog = page.getByTestId('assign-patient');
  await expect(dialog).toContainText('This scan moves alone');
  await page.screenshot({ path: '/tmp/masks-patients-assign.png' });
  await dialog.getByTestId('assign-patient-new').click();
  const name = `Nifti, Case ${Date.now() % 100_000}`;
  await new PatientsPage(page).fillForm({ name, mrn: `MP-${Date.now() % 100_000}` });
  await expect(dialog).toBeHidden();
  await expect(page.locator('.scan-title h2')).toContainText(name);
  await expect(page.getByTestId('scan-assign-patient')).toHaveText('Change patient…');

  await page.getByTestId('scan-patient-link').click();
  await expect(page.getByTestId('patient-title')).toHaveText(name);
  const loose = page.getByTestId('patient-scans-without-study');
  await expect(loose.getByTestId('patient-scan')).toHaveCount(1);
  await expect(loose).toContainText('case-flair.nii.gz');

  // Import from the patient page: the picture goes to this patient.
  await page.getByTestId('patient-import-toggle').click();
  const panel = page.getByTestId('patient-import');
  await expect(panel).toContainText(`Import for ${name}`);
  await panel.getByTestId('import-file-input').setInputFiles(picturePath);
  await expect(panel.getByTestId('import-summary')).toHaveAttribute('data-status', 'completed', {
    timeout: 60_000,
  });
  await expect(loose.getByTestId('patient-scan')).toHaveCount(2);
  await expect(loose).toContainText('follow-up.png');
  await page.screenshot({ path: '/tmp/masks-patients-patient.png' });

  // Their attributes are the site's own: all editable, the patient ID included.
  const patients = new PatientsPage(page);
  await page.getByTestId('patient-edit').click();
  await expect(page.getByTestId('patient-mrn')).toBeEditable();
  await expect(page.getByTestId('patient-mrn-locked')).toHaveCount(0);
  await patients.fillForm({ birthDate: '1961-04-12', sex: 'F' });
  await expect(page.getByTestId('patient-facts')).toContainText('Female');

  // The picture's scan page finds the patient by search, as its current one.
  await loose.getByTestId('patient-scan').filter({ hasText: 'follow-up.png' }).click();
  await page.getByTestId('scan-assign-patient').click();
  await page.getByTestId('assign-patient-search').fill(name.slice(0, 10));
  const result = page.getByTestId('assign-patient-result').filter({ hasText: name });
  await expect(result.getByTestId('assign-patient-choose')).toHaveText('Current');
  await expect(result.getByTestId('assign-patient-choose')).toBeDisabled();
});
