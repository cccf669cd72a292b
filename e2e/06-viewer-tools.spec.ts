import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { fixtureUid, writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { makeNifti } from '../src-main/test-support/volume-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ViewerPage } from './pages/viewer-page.js';
import { ADMIN } from './support/accounts.js';
import { allowImportFrom, importServerPaths, rpc, sessionTokenOf } from './support/api.js';
import { makeLesionVolume } from './support/lesion-volume.js';
import { saveScreen } from './support/screens.js';

test.describe.configure({ mode: 'serial' });

interface ScanRow {
  id: string;
  description: string | null;
  format: string;
  patientName: string | null;
}

/** Imports paths through the contract (serve runs on this machine) and waits for the job. */
async function importPaths(
  request: APIRequestContext,
  token: string,
  input: { paths: string[] },
): Promise<void> {
  await allowImportFrom(request, input.paths);
  const started = await rpc(request, 'import.files', input, token);
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
}

async function findScan(
  request: APIRequestContext,
  token: string,
  matches: (scan: ScanRow) => boolean,
): Promise<ScanRow> {
  const { body } = await rpc(request, 'scans.list', { limit: 100 }, token);
  const found = (body.value as { items: ScanRow[] }).items.find(matches);
  if (found === undefined) throw new Error('imported scan not found');
  return found;
}

async function openScan(page: Page, id: string): Promise<ViewerPage> {
  await page.goto(`/#/scans/${id}`);
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  return viewer;
}

let niftiId = '';
let thickId = '';
let labelMapPath = '';

test.beforeAll(async ({ browser, request }) => {
  const page = await browser.newPage();
  await new LoginPage(page).loginAs(ADMIN);
  const token = await sessionTokenOf(page);
  await page.close();
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-tools-'));

  // A 1 mm NIfTI volume that is brighter on one side (so flips show), and a label map with a
  // 6 mm "lesion" cube on slices 5–10 of it.
  const dims: [number, number, number] = [48, 40, 16];
  writeFileSync(
    join(dir, 'brain.nii.gz'),
    makeNifti({ dims, gzip: true, voxel: (i, j) => 100 + i * 20 + (j % 4) * 5 }),
  );
  const inLesion = (i: number, j: number, k: number): boolean =>
    i >= 20 && i < 26 && j >= 15 && j < 21 && k >= 4 && k < 10;
  labelMapPath = join(dir, 'brain_seg.nii.gz');
  writeFileSync(
    labelMapPath,
    makeNifti({
      dims,
      gzip: true,
      datatype: 'uint8',
      voxel: (i, j, k) => (inLesion(i, j, k) ? 1 : 0),
    }),
  );

  // Two axial MR series of one patient and study: 10 slices 5 mm apart, and 20 slices 2.5 mm
  // apart over the same range, so linked scrolling must map slice k to slice 2k.
  const study = fixtureUid();
  const common = {
    patientName: 'Test^Compare',
    patientId: 'E2E-CMP',
    studyInstanceUid: study,
    modality: 'MR',
    rows: 32,
    columns: 32,
    pixelSpacing: [0.8, 0.8] as [number, number],
  };
  mkdirSync(join(dir, 'thick'));
  mkdirSync(join(dir, 'thin'));
  writeDicomSeries(join(dir, 'thick'), 10, {
    ...common,
    seriesDescription: 'AX T2 THICK',
    seriesNumber: 2,
    spacingZ: 5,
  });
  writeDicomSeries(join(dir, 'thin'), 20, {
    ...common,
    seriesDescription: 'AX T1 THIN',
    seriesNumber: 3,
    spacingZ: 2.5,
  });

  await importPaths(request, token, {
    paths: [join(dir, 'brain.nii.gz'), join(dir, 'thick'), join(dir, 'thin')],
  });
  niftiId = (await findScan(request, token, (scan) => scan.format === 'nifti')).id;
  thickId = (await findScan(request, token, (scan) => scan.description === 'AX T2 THICK')).id;
});

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('rotate and flip move the picture and the orientation markers with it', async ({ page }) => {
  const viewer = await openScan(page, niftiId);
  const markers = async () => ({
    left: await page.getByTestId('marker-left').textContent(),
    right: await page.getByTestId('marker-right').textContent(),
    top: await page.getByTestId('marker-top').textContent(),
    bottom: await page.getByTestId('marker-bottom').textContent(),
  });
  const before = await markers();
  expect(new Set(Object.values(before)).size).toBe(4);
  const picture = await viewer.sampleHalves();
  expect(Math.abs(picture.left - picture.right)).toBeGreaterThan(10);

  let count = await viewer.renderCount();
  await page.getByTestId('flip-horizontal').click();
  count = await viewer.waitForRender(count);
  await expect(viewer.viewport).toHaveAttribute('data-hflip', 'true');
  const flipped = await viewer.sampleHalves();
  // The bright side swaps sides, and so do the left/right letters.
  expect(flipped.left).toBeCloseTo(picture.right, -1);
  expect(flipped.right).toBeCloseTo(picture.left, -1);
  expect(await markers()).toEqual({ ...before, left: before.right, right: before.left });

  await page.getByTestId('flip-horizontal').click();
  count = await viewer.waitForRender(count);
  await page.getByTestId('rotate').click();
  await viewer.waitForRender(count);
  await expect(viewer.viewport).toHaveAttribute('data-rotation', '90');
  // A quarter turn clockwise: the left edge goes to the top.
  expect(await markers()).toEqual({
    top: before.left,
    right: before.top,
    bottom: before.right,
    left: before.bottom,
  });
  const rotated = await viewer.sampleHalves();
  expect(Math.abs(rotated.top - rotated.bottom)).toBeGreaterThan(10);
});

test('length and ellipse measurements read in millimetres from the pixel spacing', async ({
  page,
}) => {
  const viewer = await openScan(page, niftiId);
  await page.getByTestId('tool-length').click();
  const scale = Number(await viewer.viewport.getAttribute('data-scale'));
  await viewer.drag(-60, 0, 60, 0);
  const label = page.getByTestId('measurement-label');
  await expect(label).toHaveCount(1);
  // 120 screen pixels at `scale` screen pixels per 1 mm voxel.
  const mm = Number.parseFloat((await label.textContent()) ?? '');
  expect(mm).toBeCloseTo(120 / scale, 0);
  await expect(label).toContainText('mm');

  // Zooming keeps the measurement on the anatomy: same value, longer line on screen.
  const count = await viewer.renderCount();
  await page.getByTestId('zoom-in').click();
  await viewer.waitForRender(count);
  await expect(label).toHaveText(`${mm.toFixed(1)} mm`);

  await page.getByTestId('tool-ellipse').click();
  await viewer.drag(-30, -20, 30, 20);
  const labels = page.getByTestId('measurement-label');
  await expect(labels).toHaveCount(2);
  await expect(labels.nth(1)).toContainText('mm²');
  await expect(labels.nth(1)).toContainText('±');
  await saveScreen(page, 'viewer-measurements');

  // Saved with the scan: listed beside the viewer; Delete removes the selected (here the last
  // drawn) one, the list's button the other.
  await expect(page.getByTestId('measurement-row')).toHaveCount(2);
  await viewer.viewport.press('Delete');
  await expect(labels).toHaveCount(1);
  await page.getByTestId('measurement-delete').click();
  await expect(labels).toHaveCount(0);
  await expect(page.getByTestId('measurement-row')).toHaveCount(0);
});

test('a label map overlays the slices it covers, with adjustable opacity', async ({ page }) => {
  const viewer = await openScan(page, niftiId);
  // Drawn elsewhere (e.g. ITK-SNAP) and added from the scan page: upload, import, reload.
  await page.getByTestId('add-label-map-file').setInputFiles(labelMapPath);
  await expect(page.getByTestId('add-label-map-done')).toContainText('brain_seg.nii.gz added');
  await page.getByTestId('mask-segmentation').selectOption({ index: 1 });
  await expect(page.getByTestId('overlay-extent')).toContainText('Labels on slices 5–10');
  await page.getByTestId('overlay-jump').click();
  await expect(viewer.viewport).toHaveAttribute('data-index', /^[4-9]$/);
  await expect.poll(() => viewer.overlayPixels()).toBeGreaterThan(20);
  await saveScreen(page, 'viewer-overlay');

  const opacity = page.getByTestId('legend-opacity').first();
  await opacity.fill('0');
  await expect.poll(() => viewer.overlayPixels()).toBe(0);
  await opacity.fill('60');
  await expect.poll(() => viewer.overlayPixels()).toBeGreaterThan(20);

  // Away from the lesion, nothing is painted.
  const count = await viewer.renderCount();
  await viewer.viewport.press('Home');
  await viewer.waitForRender(count);
  await expect.poll(() => viewer.overlayPixels()).toBe(0);
});

test('two series side by side scroll together by slice position', async ({ page }) => {
  const viewer = await openScan(page, thickId);
  const thin = page.getByTestId('compare-select').locator('option', { hasText: 'AX T1 THIN' });
  await page.getByTestId('compare-select').selectOption((await thin.getAttribute('value')) ?? '');
  const second = page.getByTestId('viewport-compare');
  await expect(second).toHaveAttribute('data-state', 'ready');
  await expect
    .poll(async () => Number(await second.getAttribute('data-render-count')))
    .toBeGreaterThan(0);

  await viewer.viewport.press('Home');
  await expect(second).toHaveAttribute('data-index', '0');
  await viewer.viewport.press('ArrowDown');
  await viewer.viewport.press('ArrowDown');
  await expect(viewer.viewport).toHaveAttribute('data-index', '2');
  // Slice 3 of the 5 mm series lies 10 mm in: slice 5 of the 2.5 mm series.
  await expect(second).toHaveAttribute('data-index', '4');
  // And the other way round.
  await second.press('ArrowDown');
  await second.press('ArrowDown');
  await expect(second).toHaveAttribute('data-index', '6');
  await expect(viewer.viewport).toHaveAttribute('data-index', '3');

  await page.getByTestId('compare-linked').uncheck();
  await viewer.viewport.press('ArrowDown');
  await expect(viewer.viewport).toHaveAttribute('data-index', '4');
  await expect(second).toHaveAttribute('data-index', '6');
  await saveScreen(page, 'viewer-compare');
});

test('cine plays through the slices and stops', async ({ page }) => {
  const viewer = await openScan(page, thickId);
  await page.getByTestId('cine-rate').selectOption('30');
  await page.getByTestId('cine').click();
  const start = Number(await viewer.viewport.getAttribute('data-index'));
  await expect
    .poll(async () => Number(await viewer.viewport.getAttribute('data-index')))
    .not.toBe(start);
  await page.getByTestId('cine').click();
  const stopped = await viewer.viewport.getAttribute('data-index');
  await page.waitForTimeout(300);
  await expect(viewer.viewport).toHaveAttribute('data-index', stopped ?? '');
});

interface StoredLesion {
  centroid: { voxels: [number, number, number] };
  boundingBox: { voxels: { min: [number, number, number]; max: [number, number, number] } };
}

test('each lesion is listed with "Go to" its slice; technical notes stay out of the headline', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const token = await sessionTokenOf(page);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-lesions-'));
  const path = join(dir, 'lesions.nii.gz');
  writeFileSync(path, makeLesionVolume(Date.now()));
  const scanId = await importServerPaths(request, token, [path]);

  const viewer = await openScan(page, scanId);
  await page.getByTestId('analyse').click();
  const rows = page.getByTestId('lesion-row');
  await expect(rows.first()).toBeVisible({ timeout: 120_000 });
  const analysis = (await rpc(request, 'analysis.get', { scanId }, token)).body.value as {
    providerNote: string | null;
    findings: { detections: StoredLesion[] };
  };
  const lesions = analysis.findings.detections;
  expect(lesions.length).toBeGreaterThanOrEqual(2);
  await expect(rows).toHaveCount(lesions.length);
  await expect(rows.first()).toContainText('Lesion 1');
  await expect(rows.first()).toContainText(
    /\d mL · [\d.]+ × [\d.]+ × [\d.]+ mm · max\. diameter [\d.]+ mm · confidence \d+%/,
  );
  await expect(page.getByTestId('lesion-confidence-meaning')).toContainText(
    'not a probability that the lesion is a tumour',
  );

  // "Go to" shows the slice through each lesion's centre, with the tumour mask drawn on it.
  const centreSlice = (lesion: StoredLesion): number =>
    Math.min(
      lesion.boundingBox.voxels.max[2],
      Math.max(lesion.boundingBox.voxels.min[2], Math.round(lesion.centroid.voxels[2])),
    );
  const targets = [centreSlice(lesions[1]!), centreSlice(lesions[0]!)];
  expect(targets[0]).not.toBe(targets[1]);
  for (const [rank, target] of [
    [1, targets[0]!],
    [0, targets[1]!],
  ] as const) {
    await rows.nth(rank).getByTestId('lesion-go-to').click();
    await expect(viewer.viewport).toHaveAttribute('data-index', String(target));
    await expect(page.getByTestId('viewport-slice')).toHaveText(`Slice ${target + 1} / 12`);
    await expect(rows.nth(rank)).toHaveAttribute('data-selected', 'true');
  }
  await expect(page.getByTestId('mask-analysis')).toBeChecked();
  await expect.poll(() => viewer.overlayPixels()).toBeGreaterThan(20);

  // How it ran (e.g. "CUDA could not be used …") is in the folded technical details only.
  await expect(page.getByTestId('analysis-technical')).toContainText('Ran on');
  if (analysis.providerNote !== null) {
    await expect(page.getByTestId('analysis-verdict')).not.toContainText(analysis.providerNote);
    await expect(page.getByTestId('analysis-notes')).not.toContainText(analysis.providerNote);
    await expect(page.getByTestId('analysis-technical-notes')).not.toBeVisible();
    await page.getByTestId('analysis-technical').locator('summary').click();
    await expect(page.getByTestId('analysis-technical-notes')).toContainText(analysis.providerNote);
  }
  await expect(page.getByTestId('analysis-notes')).toContainText('a radiologist must review it');
  await saveScreen(page, 'viewer-lesions');

  // A re-analysis keeps the stored result in view, marked, until the new one is stored.
  await page.getByTestId('analyse').click();
  await expect(page.getByTestId('analysis-previous')).toHaveText(
    'Previous result — re-analysis running',
  );
  await expect(rows).toHaveCount(lesions.length);
  await saveScreen(page, 'viewer-lesions-reanalysis');
  await expect(page.getByTestId('analysis-previous')).toBeHidden({ timeout: 120_000 });
  await expect(rows).toHaveCount(lesions.length);
});
