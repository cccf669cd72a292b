import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixtureUid, makeDicom } from '../src-main/test-support/dicom-fixtures.js';
import { makeNifti } from '../src-main/test-support/volume-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { MprPage } from './pages/mpr-page.js';
import { ViewerPage } from './pages/viewer-page.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, rpc, sessionTokenOf } from './support/api.js';

test.describe.configure({ mode: 'serial' });

/** 64 × 48 × 40 voxels of 1 × 1 × 2.5 mm: a picture 64 mm wide, 48 mm deep and 100 mm high. */
const DIMS: [number, number, number] = [64, 48, 40];
const SFORM: [number[], number[], number[]] = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 2.5, 0],
];

/** Values that change along every axis, so each plane and each slice looks different. */
function makeVolume(variant: number): Buffer {
  return makeNifti({
    dims: DIMS,
    sform: SFORM,
    gzip: true,
    voxel: (i, j, k) =>
      i === 0 && j === 0 && k === 0 ? variant % 100 : 200 + 4 * i + 3 * j + 5 * k,
  });
}

/** A label-1 ball of 8 mm radius at the volume's centre, on the same grid. */
function makeLabels(): Buffer {
  return makeNifti({
    dims: DIMS,
    sform: SFORM,
    datatype: 'uint8',
    gzip: true,
    voxel: (i, j, k) => (Math.hypot(i - 32, j - 24, (k - 20) * 2.5) < 8 ? 1 : 0),
  });
}

/**
 * A sagittal acquisition as a scanner writes it: 24 slices 1.2 mm apart from right to left,
 * each 48 columns (1 mm, towards posterior) × 40 rows (1.5 mm, towards the feet). The front
 * left quarter is bright from head to foot.
 */
function writeSagittalSeries(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const studyInstanceUid = fixtureUid();
  const seriesInstanceUid = fixtureUid();
  return Array.from({ length: 24 }, (_, k) => {
    const path = join(dir, `sag-${String(k + 1).padStart(3, '0')}.dcm`);
    writeFileSync(
      path,
      makeDicom({
        patientName: 'Mpr^Sagittal',
        patientId: 'E2E-MPR-SAG',
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid: `${seriesInstanceUid}.${k + 1}`,
        seriesDescription: 'SAG T1 3D',
        modality: 'MR',
        instanceNumber: k + 1,
        rows: 40,
        columns: 48,
        pixelSpacing: [1.5, 1],
        sliceThickness: 1.2,
        imagePosition: [Number((-14 + k * 1.2).toFixed(1)), -24, 30],
        imageOrientation: [0, 1, 0, 0, 0, -1],
        pixel: (row, column) => (k >= 12 && column < 24 ? 900 : 100 + ((row + column + k) % 9)),
      }),
    );
    return path;
  });
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-mpr-'));
const volumePath = join(dir, 'mpr-volume.nii.gz');
const labelsPath = join(dir, 'mpr-labels.nii.gz');
let volumeId = '';
let sagittalId = '';

test.beforeAll(async ({ browser, request }) => {
  writeFileSync(volumePath, makeVolume(Date.now()));
  writeFileSync(labelsPath, makeLabels());
  const sagittalFiles = writeSagittalSeries(join(dir, 'sagittal'));
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  const page = await browser.newPage();
  await new LoginPage(page).loginAs(ADMIN);
  const token = await sessionTokenOf(page);
  volumeId = await importServerPaths(request, token, [volumePath]);
  sagittalId = await importServerPaths(request, token, sagittalFiles);
  await page.close();
});

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('MPR of a NIfTI volume: three planes with their letters and aspect, the mask in each, linked crosshairs, slabs, the shared window', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(`/#/scans/${volumeId}`);
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  await page.getByTestId('add-label-map-file').setInputFiles(labelsPath);
  await expect(page.getByTestId('add-label-map-done')).toContainText('mpr-labels.nii.gz added');
  await page.getByTestId('mask-segmentation').selectOption({ index: 1 });

  const mpr = new MprPage(page);
  await mpr.open();
  await expect(page.getByTestId('mpr-axial-slice')).toHaveText('20 / 40');

  // Every plane drew a real picture with the patient's letters at its edges.
  const letters = {
    axial: ['R', 'L', 'A', 'P'],
    coronal: ['R', 'L', 'S', 'I'],
    sagittal: ['A', 'P', 'S', 'I'],
  } as const;
  // The label ball lies on the crosshair: once its volume has arrived, each plane shows it in red.
  for (const plane of ['axial', 'coronal', 'sagittal'] as const)
    await expect.poll(async () => (await mpr.sample(plane)).red, plane).toBeGreaterThan(100);
  const before = {
    axial: await mpr.sample('axial'),
    coronal: await mpr.sample('coronal'),
    sagittal: await mpr.sample('sagittal'),
  };
  for (const plane of ['axial', 'coronal', 'sagittal'] as const) {
    expect(before[plane].levels, plane).toBeGreaterThan(20);
    const [left, right, top, bottom] = letters[plane];
    expect(await mpr.marker(plane, 'left')).toBe(left);
    expect(await mpr.marker(plane, 'right')).toBe(right);
    expect(await mpr.marker(plane, 'top')).toBe(top);
    expect(await mpr.marker(plane, 'bottom')).toBe(bottom);
  }
  // Physical aspect: 64 × 48 mm axially, 64 × 100 mm coronally, 48 × 100 mm sagittally.
  const aspect = (plane: 'axial' | 'coronal' | 'sagittal'): number =>
    before[plane].box.width / before[plane].box.height;
  expect(aspect('axial')).toBeCloseTo(64 / 48, 1);
  expect(aspect('coronal')).toBeCloseTo(64 / 100, 1);
  expect(aspect('sagittal')).toBeCloseTo(48 / 100, 1);
  await page.screenshot({ path: '/tmp/mpr-volume.png', fullPage: true });

  // A click in the axial plane moves the crosshair: the coronal and sagittal slices follow,
  // the axial slice stays.
  const slices = {
    axial: await mpr.slice('axial'),
    coronal: await mpr.slice('coronal'),
    sagittal: await mpr.slice('sagittal'),
  };
  await mpr.clickAt('axial', 0.3, 0.3);
  await expect.poll(() => mpr.slice('coronal')).not.toBe(slices.coronal);
  await expect.poll(() => mpr.slice('sagittal')).not.toBe(slices.sagittal);
  expect(await mpr.slice('axial')).toBe(slices.axial);
  const moved = {
    coronal: await mpr.sample('coronal'),
    sagittal: await mpr.sample('sagittal'),
  };
  expect(moved.coronal.histogram).not.toEqual(before.coronal.histogram);
  expect(moved.sagittal.histogram).not.toEqual(before.sagittal.histogram);
  // Away from the ball now: no red in the planes it moved.
  expect(moved.sagittal.red).toBeLessThan(before.sagittal.red);

  // "Go to lesion" moves the crosshair onto the labels: all three planes cut the ball again.
  await page.getByTestId('overlay-jump').click();
  await expect(page.getByTestId('mpr-axial-slice')).toHaveText('21 / 40');
  await expect.poll(async () => (await mpr.sample('sagittal')).red).toBeGreaterThan(100);
  expect((await mpr.sample('coronal')).red).toBeGreaterThan(100);

  // The keyboard steps through a focused pane's slices.
  await mpr.canvas('coronal').focus();
  const coronalSlice = await mpr.slice('coronal');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => mpr.slice('coronal')).toBe(coronalSlice + 1);

  // Without the mask, so that only the image's greys count: a 30 mm slab (12 slices of 2.5 mm)
  // of the axial plane. Values rise towards the head, so MIP is brighter than the thin slice and
  // MinIP darker.
  await page.getByTestId('mask-segmentation').selectOption({ index: 0 });
  await expect.poll(async () => (await mpr.sample('axial')).red).toBe(0);
  const thin = await mpr.sample('axial');
  await page.getByTestId('mpr-slab-mode').selectOption('mip');
  await page.getByTestId('mpr-slab-thickness').fill('30');
  await expect(page.getByTestId('mpr-pane-axial')).toContainText('MIP 30 mm');
  await expect.poll(async () => (await mpr.sample('axial')).histogram).not.toEqual(thin.histogram);
  const mip = await mpr.sample('axial');
  await page.screenshot({ path: '/tmp/mpr-volume-mip.png', fullPage: true });
  await page.getByTestId('mpr-slab-mode').selectOption('minip');
  await expect(page.getByTestId('mpr-pane-axial')).toContainText('MinIP 30 mm');
  await expect.poll(async () => (await mpr.sample('axial')).histogram).not.toEqual(mip.histogram);
  const minip = await mpr.sample('axial');
  expect(mip.mean).toBeGreaterThan(thin.mean + 5);
  expect(minip.mean).toBeLessThan(thin.mean - 5);
  await page.getByTestId('mpr-slab-mode').selectOption('thin');

  // The window is the 2D viewer's: changed in MPR, the 2D viewer opens with it.
  const windowBefore = await page.getByTestId('mpr-window').textContent();
  await mpr.dragWindow('coronal', 120, 40);
  await expect(page.getByTestId('mpr-window')).not.toHaveText(windowBefore ?? '');
  const windowAfter = (await page.getByTestId('mpr-window').textContent()) ?? '';
  await page.getByTestId('viewer-mpr-toggle').click();
  await viewer.waitForRender();
  await expect(page.getByTestId('viewport-window')).toHaveText(windowAfter);
});

test('MPR of a sagittal DICOM series: the axial reformat puts the patient front-left at the top right', async ({
  page,
}) => {
  await page.goto(`/#/scans/${sagittalId}`);
  await new ViewerPage(page).waitForRender();
  const mpr = new MprPage(page);
  await mpr.open();
  expect(await mpr.marker('axial', 'right')).toBe('L');
  expect(await mpr.marker('axial', 'top')).toBe('A');
  expect(await mpr.marker('sagittal', 'left')).toBe('A');
  expect(await mpr.marker('sagittal', 'top')).toBe('S');
  const axial = await mpr.sample('axial');
  // 24 slices × 1.2 mm left-right, 48 × 1 mm front-back.
  expect(axial.box.width / axial.box.height).toBeCloseTo(28.8 / 48, 1);
  const { topLeft, topRight, bottomLeft, bottomRight } = axial.quadrants;
  expect(topRight).toBeGreaterThan(Math.max(topLeft, bottomLeft, bottomRight) + 60);
  // Sagittal: 48 mm front-back, 40 × 1.5 = 60 mm head-foot.
  const sagittal = await mpr.sample('sagittal');
  expect(sagittal.box.width / sagittal.box.height).toBeCloseTo(48 / 60, 1);
  await page.screenshot({ path: '/tmp/mpr-sagittal-series.png', fullPage: true });
});
