import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { fixtureUid, writeDicomSeries } from '../src-main/test-support/dicom-fixtures.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ViewerPage } from './pages/viewer-page.js';
import { ADMIN } from './support/accounts.js';
import { allowImportFrom, loginToken, rpc } from './support/api.js';

// Issue 13 items 2 and 5: measurements that last, and the viewer habits of a reading room.
test.describe.configure({ mode: 'serial' });

interface ScanRow {
  id: string;
  description: string | null;
}

/** The admin's token; runs first-run setup when this spec runs alone on a fresh server. */
async function adminToken(request: APIRequestContext): Promise<string> {
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  return loginToken(request, ADMIN.username, ADMIN.password);
}

async function importPaths(request: APIRequestContext, token: string, paths: string[]) {
  await allowImportFrom(request, paths);
  const started = await rpc(request, 'import.files', { paths }, token);
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
  const report = await rpc(request, 'import.report', { id: jobId }, token);
  return (report.body.value as { scanIds: string[] }).scanIds;
}

async function scansOf(request: APIRequestContext, token: string, ids: string[]) {
  const { body } = await rpc(request, 'scans.list', { limit: 100 }, token);
  return (body.value as { items: ScanRow[] }).items.filter((s) => ids.includes(s.id));
}

async function openScan(page: Page, id: string): Promise<ViewerPage> {
  await page.goto(`/#/scans/${id}`);
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  return viewer;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `/tmp/viewer-habits-${name}.png` });
}

let ctId = '';
let flairNowId = '';

test.beforeAll(async ({ request }) => {
  const token = await adminToken(request);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-habits-'));
  // A CT head of 5 slices, 0.5 mm pixels: air outside a disc of brain (40 HU), with a bone-bright
  // block (1000 HU) in the top-left quarter only, so flips and turns show where it went.
  const size = 64;
  mkdirSync(join(dir, 'ct'));
  writeDicomSeries(join(dir, 'ct'), 5, {
    modality: 'CT',
    patientName: 'Habits^Ct',
    patientId: 'E2E-HAB-CT',
    rows: size,
    columns: size,
    pixelSpacing: [0.5, 0.5],
    seriesDescription: 'CT HEAD HABITS',
    extraAttributes: { RescaleIntercept: '-1024', RescaleSlope: '1' },
    pixel: (r, c) => {
      if (r >= 6 && r < 26 && c >= 6 && c < 26) return 2024;
      const inHead = Math.hypot(r - size / 2, c - size / 2) < size * 0.45;
      return inHead ? 1064 : 0;
    },
  });
  // A brain MR patient with two studies: FLAIR in 2023, FLAIR and T1 in 2024.
  const mr = {
    modality: 'MR',
    patientName: 'Habits^Mr',
    patientId: 'E2E-HAB-MR',
    rows: 32,
    columns: 32,
    pixelSpacing: [0.9, 0.9] as [number, number],
  };
  const before = fixtureUid();
  const now = fixtureUid();
  for (const [folder, study, date, description, number] of [
    ['prior-flair', before, '20230110', 'AX FLAIR', 1],
    ['now-flair', now, '20240601', 'AX FLAIR', 1],
    ['now-t1', now, '20240601', 'AX T1', 2],
  ] as const) {
    mkdirSync(join(dir, folder));
    writeDicomSeries(join(dir, folder), 6, {
      ...mr,
      studyInstanceUid: study,
      studyDate: date,
      seriesDescription: description,
      seriesNumber: number,
    });
  }
  const ids = await importPaths(request, token, [
    join(dir, 'ct'),
    join(dir, 'prior-flair'),
    join(dir, 'now-flair'),
    join(dir, 'now-t1'),
  ]);
  const scans = await scansOf(request, token, ids);
  ctId = scans.find((s) => s.description === 'CT HEAD HABITS')?.id ?? '';
  // The newer FLAIR: imported after the prior, so the later of the two ids in import order.
  const flairs = ids.filter((id) => scans.find((s) => s.id === id)?.description === 'AX FLAIR');
  flairNowId = flairs[1] ?? '';
  expect(ctId).not.toBe('');
  expect(flairNowId).not.toBe('');
});

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

test('a length measurement and the viewer state are there after logging out and in', async ({
  page,
}) => {
  let viewer = await openScan(page, ctId);
  await expect(viewer.viewport).toHaveAttribute('data-index', '2');
  const blank = await viewer.measurementPixels();
  await page.getByTestId('tool-length').click();
  await viewer.drag(-80, 40, 40, 40);
  const rows = page.getByTestId('measurement-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-frame', '2');
  // The core's figure (0.5 mm pixels), not "saving…": it was stored.
  await expect(rows.first()).toContainText(/Length · slice 3 · \d+\.\d mm/);
  const drawn = await viewer.measurementPixels();
  expect(drawn - blank).toBeGreaterThan(60);

  // Viewer state to find again: brain window by its key, zoomed in, one slice down.
  await page.keyboard.press('1');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 40 / W 80');
  const fitted = Number(await viewer.viewport.getAttribute('data-scale'));
  await page.getByTestId('zoom-in').click();
  await expect
    .poll(async () => Number(await viewer.viewport.getAttribute('data-scale')))
    .toBeCloseTo(fitted * 1.25, 5);
  const scale = await viewer.viewport.getAttribute('data-scale');
  await page.keyboard.press('ArrowDown');
  await expect(viewer.viewport).toHaveAttribute('data-index', '3');
  await expect(page.getByTestId('measurement-label')).toHaveCount(0);
  // The list jumps back to the measurement's slice and highlights it.
  await rows.first().click();
  await expect(viewer.viewport).toHaveAttribute('data-index', '2');
  await expect(rows.first()).toHaveClass(/selected/);
  await shot(page, 'length-saved');

  await page.getByText('← Worklist').click();
  await new AppPage(page).logout();
  await new LoginPage(page).login(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('app-header')).toBeVisible();

  viewer = await openScan(page, ctId);
  await expect(page.getByTestId('measurement-row')).toHaveCount(1);
  await expect(viewer.viewport).toHaveAttribute('data-index', '2');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 40 / W 80');
  await expect(viewer.viewport).toHaveAttribute('data-scale', scale ?? '');
  await expect(page.getByTestId('measurement-label')).toHaveCount(1);
  // Still drawn: the measurement colour is on screen again.
  expect((await viewer.measurementPixels()) - blank).toBeGreaterThan(60);
  await shot(page, 'length-after-relogin');
});

test('a handle drag edits a measurement; angle and arrow annotations; CSV export', async ({
  page,
}) => {
  const viewer = await openScan(page, ctId);
  const rows = page.getByTestId('measurement-row');
  await expect(rows).toHaveCount(1);

  // Edit by dragging a handle: select the length, pull its right end further right.
  const figure = async () => (await rows.first().locator('.figure').textContent()) ?? '';
  const before = Number.parseFloat(await figure());
  await rows.first().click();
  const handles = page.locator('.measurement.selected circle');
  await expect(handles).toHaveCount(2);
  const ends = await Promise.all([0, 1].map(async (i) => (await handles.nth(i).boundingBox())!));
  const right = ends[0]!.x > ends[1]!.x ? ends[0]! : ends[1]!;
  await page.mouse.move(right.x + right.width / 2, right.y + right.height / 2);
  await page.mouse.down();
  await page.mouse.move(right.x + 60, right.y + right.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => Number.parseFloat(await figure())).toBeGreaterThan(before + 1);

  await page.getByTestId('tool-angle').click();
  await viewer.drag(60, -60, 0, 0);
  await viewer.clickAt(60, 0);
  await expect(rows).toHaveCount(2);
  const angle = page.locator('[data-testid="measurement-row"][data-kind="angle"]');
  await expect(angle).toContainText(/4\d\.\d°/);

  await page.getByTestId('tool-arrow').click();
  await viewer.drag(-90, -90, -40, -40);
  await expect(rows).toHaveCount(3);
  // The new arrow's text field takes the focus.
  const label = page.locator(
    '[data-testid="measurement-row"][data-kind="arrow"] [data-testid="measurement-label-input"]',
  );
  await expect(label).toBeFocused();
  await label.fill('bone, "dense"');
  await label.press('Enter');
  await expect(page.getByTestId('measurement-label').filter({ hasText: 'bone' })).toHaveCount(1);
  await shot(page, 'angle-arrow');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('measurements-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('CT HEAD HABITS_measurements.csv');
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\r\n');
  expect(lines).toHaveLength(4);
  const header = lines[0]!.split(',');
  expect(header).toEqual(expect.arrayContaining(['length (mm)', 'area (mm²)', 'mean (HU)']));
  expect(header).toContain('angle (°)');
  expect(text).toContain('"bone, ""dense"""');
  const kinds = lines.slice(1).map((line) => line.split(',')[1]);
  expect(kinds.sort()).toEqual(['angle', 'arrow', 'length']);
});

test('number keys apply the CT presets, shown in a menu with their keys', async ({ page }) => {
  const viewer = await openScan(page, ctId);
  await page.keyboard.press('4');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 600 / W 2800');
  const bone = await viewer.sampleCanvas();
  await page.keyboard.press('1');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 40 / W 80');
  expect((await viewer.sampleCanvas()).histogram).not.toEqual(bone.histogram);
  await page.getByTestId('preset-menu').click();
  const menu = page.getByRole('menu', { name: 'Window presets' });
  for (const [key, name] of [
    ['1', 'Brain'],
    ['2', 'Subdural'],
    ['3', 'Stroke'],
    ['4', 'Bone'],
    ['5', 'Soft tissue'],
  ] as const)
    await expect(menu.getByRole('menuitem').filter({ hasText: name }).first()).toContainText(key);
  await shot(page, 'preset-menu');
  await page.getByTestId('preset-subdural').click();
  await expect(page.getByTestId('viewport-window')).toHaveText('C 75 / W 200');
});

test('flip after rotate flips left-right on screen; arrows scroll after a toolbar click', async ({
  page,
}) => {
  const viewer = await openScan(page, ctId);
  await page.getByTestId('reset').click();
  await page.keyboard.press('4'); // bone window: only the block is bright
  let count = await viewer.renderCount();
  const start = await viewer.sampleQuadrants();
  expect(start.topLeft - start.topRight).toBeGreaterThan(20);

  await page.getByTestId('rotate').click();
  count = await viewer.waitForRender(count);
  const rotated = await viewer.sampleQuadrants();
  // A quarter turn clockwise: the block goes from top-left to top-right.
  expect(rotated.topRight - rotated.topLeft).toBeGreaterThan(20);
  expect(rotated.topRight - rotated.bottomRight).toBeGreaterThan(20);

  await page.getByTestId('flip-horizontal').click();
  await viewer.waitForRender(count);
  const flipped = await viewer.sampleQuadrants();
  // Left and right swap on screen; top stays top.
  expect(flipped.topLeft - flipped.topRight).toBeGreaterThan(20);
  expect(flipped.topLeft - flipped.bottomLeft).toBeGreaterThan(20);
  await shot(page, 'rotate-then-flip');

  // The last click was on a toolbar button: the arrow keys still scroll.
  const index = Number(await viewer.viewport.getAttribute('data-index'));
  await page.keyboard.press('ArrowDown');
  await expect(viewer.viewport).toHaveAttribute('data-index', String(index + 1));
  await page.getByTestId('zoom-out').click();
  await page.keyboard.press('ArrowUp');
  await expect(viewer.viewport).toHaveAttribute('data-index', String(index));
});

test('the tag browser lists the DICOM tags of the slice and finds (0010,0010)', async ({
  page,
}) => {
  await openScan(page, ctId);
  await page.getByTestId('tag-browser-toggle').click();
  await expect(page.getByTestId('tag-summary')).toContainText('elements');
  await page.getByTestId('tag-search').fill('0010,0010');
  const row = page.locator('[data-testid="tag-row"][data-tag="(0010,0010)"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('PatientName');
  await expect(row).toContainText('Habits^Ct');
  await expect(page.getByTestId('tag-row')).toHaveCount(1);
  await page.getByTestId('tag-search').fill('7fe0');
  await expect(page.getByTestId('tag-row').first()).toContainText('pixel data, 8192 bytes');
  await page.getByTestId('tag-search').fill('0028');
  await page.getByTestId('tag-browser').scrollIntoViewIfNeeded();
  await page.getByTestId('tag-browser').screenshot({ path: '/tmp/viewer-habits-tag-browser.png' });
});

test('a brain MR offers the prior FLAIR side by side, and MR presets are percentiles', async ({
  page,
}) => {
  const viewer = await openScan(page, flairNowId);
  const offer = page.getByTestId('compare-prior');
  await expect(offer).toHaveText('Compare with prior (2023-01-10)');
  await page.getByTestId('preset-menu').click();
  await expect(page.getByTestId('preset-flair')).toContainText('1');
  await expect(page.getByRole('menu')).toContainText('percentiles');
  await page.getByTestId('preset-menu').click();
  await page.keyboard.press('1');
  await expect(viewer.viewport).toHaveAttribute('data-render-count', /\d+/);
  await offer.click();
  await expect(page.getByTestId('compare-second')).toBeVisible();
  // Both series drawn, the prior on the right, at the same slice position.
  for (const id of ['viewport', 'viewport-compare'])
    await expect
      .poll(async () => Number(await page.getByTestId(id).getAttribute('data-render-count')))
      .toBeGreaterThan(0);
  const prior = new ViewerPage(page);
  const priorCanvas = await page.getByTestId('viewport-compare').evaluate((element) => {
    const canvas = element.querySelector('canvas.cornerstone-canvas');
    if (!(canvas instanceof HTMLCanvasElement)) return 0;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += 4) levels.add(data[i] ?? 0);
    return levels.size;
  });
  expect(priorCanvas).toBeGreaterThan(5);
  expect((await prior.sampleCanvas()).levels).toBeGreaterThan(5);
  await expect(page.getByTestId('compare-select')).toContainText('2023-01-10');
  // Linked: a slice down on the left moves the prior to the same position.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-index', '3');
  await expect(page.getByTestId('viewport-compare')).toHaveAttribute('data-index', '3');
  await shot(page, 'compare-prior');
});

test('a second tab of the browser is logged in, and logging out there logs out both', async ({
  page,
  context,
}) => {
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('app-header')).toBeVisible();
  await shot(second, 'second-tab');
  await new AppPage(second).logout();
  await expect(page.getByTestId('login-form')).toBeVisible();
  await second.close();
});
