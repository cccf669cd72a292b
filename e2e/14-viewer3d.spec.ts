import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeNifti } from '../src-main/test-support/volume-fixtures.js';
import { marchingCubes } from '../src-shared/mesh/marching-cubes.js';
import { writeBinaryStl } from '../src-shared/mesh/stl.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, rpc, sessionTokenOf } from './support/api.js';

test.describe.configure({ mode: 'serial' });

const DIMS: [number, number, number] = [96, 96, 64];
/** A lesion off the head's centre (voxels), so turning the view moves it across the screen. */
const LESION = { centre: [62, 40, 34], radius: 9 } as const;
const inLesion = (i: number, j: number, k: number): boolean =>
  Math.hypot(i - LESION.centre[0], j - LESION.centre[1], k - LESION.centre[2]) <= LESION.radius;

/** A 1 mm "FLAIR" head: an ellipsoid of tissue with a bright lesion, in dark background. */
function makeHead(): Buffer {
  return makeNifti({
    dims: DIMS,
    gzip: true,
    voxel: (i, j, k) => {
      const r = Math.hypot((i - 48) / 38, (j - 48) / 44, (k - 32) / 28);
      if (r > 1) return (i * 7 + j * 3 + k) % 9;
      return inLesion(i, j, k) ? 900 : 400 + ((i * 13 + j * 7 + k * 5) % 40);
    },
  });
}

/** An expert's label map of the lesion (BraTS labels: core 1 inside enhancing 4). */
function makeLabels(): Buffer {
  return makeNifti({
    dims: DIMS,
    datatype: 'uint8',
    gzip: true,
    voxel: (i, j, k) =>
      Math.hypot(i - LESION.centre[0], j - LESION.centre[1], k - LESION.centre[2]) <= 4
        ? 1
        : inLesion(i, j, k)
          ? 4
          : 0,
  });
}

/** A 12 mm box as a binary STL (e.g. one jaw of an intra-oral scan, here a stand-in). */
function makeBoxStl(): Uint8Array {
  const field = new Float32Array(8 * 8 * 8);
  for (let z = 1; z < 7; z++)
    for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) field[x + 8 * (y + 8 * z)] = 1;
  return writeBinaryStl(
    marchingCubes({
      field,
      dims: [8, 8, 8],
      isoLevel: 0.5,
      spacing: [2, 2, 2],
      origin: [-40, 20, 10],
    }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-3d-'));
let scanId = '';

test.beforeAll(async ({ browser, request }) => {
  const volume = join(dir, `head-${Date.now()}.nii.gz`);
  const labels = join(dir, 'lesion-seg.nii.gz');
  const stl = join(dir, 'upper-jaw.stl');
  writeFileSync(volume, makeHead());
  writeFileSync(labels, makeLabels());
  writeFileSync(stl, makeBoxStl());
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  const page = await browser.newPage();
  await new LoginPage(page).loginAs(ADMIN);
  const token = await sessionTokenOf(page);
  scanId = await importServerPaths(request, token, [volume]);
  for (const input of [
    { paths: [labels], segmentationOf: scanId },
    { paths: [stl], attachTo: scanId },
  ]) {
    const started = await rpc(request, 'import.files', input, token);
    const jobId = (started.body.value as { id: string }).id;
    await expect
      .poll(
        async () =>
          ((await rpc(request, 'jobs.get', { id: jobId }, token)).body.value as { status: string })
            .status,
      )
      .toBe('completed');
  }
  await page.close();
});

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).loginAs(ADMIN);
});

/** The colour drawn at a point of the 3D canvas (CSS pixels), read back from WebGL. */
async function pixelAt(canvas: Locator, x: number, y: number): Promise<[number, number, number]> {
  return canvas.evaluate(
    (host, [px, py]) => {
      const gl = host.querySelector('canvas');
      if (gl === null) throw new Error('no canvas');
      const scale = gl.width / gl.clientWidth;
      const copy = document.createElement('canvas');
      copy.width = gl.width;
      copy.height = gl.height;
      const context = copy.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      context.drawImage(gl, 0, 0);
      const { data } = context.getImageData(Math.round(px! * scale), Math.round(py! * scale), 1, 1);
      return [data[0]!, data[1]!, data[2]!] as [number, number, number];
    },
    [x, y],
  );
}

async function lesionLabelAt(page: Page): Promise<{ x: number; y: number }> {
  const label = page.getByTestId('viewer3d-lesion-label').first();
  await expect(label).toBeVisible();
  return {
    x: Number(await label.getAttribute('data-x')),
    y: Number(await label.getAttribute('data-y')),
  };
}

const isReddish = ([r, g, b]: [number, number, number]): boolean => r > g + 60 && r > b + 40;

test('the 3D view shows the lesion in its colour, turns with the mouse and measures in mm', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(`/#/scans/${scanId}`);
  await page.getByTestId('scan-open-3d').click();
  await expect(page).toHaveURL(new RegExp(`#/scans/${scanId}/3d$`));
  const canvas = page.getByTestId('viewer3d-canvas');
  await expect(canvas).toHaveAttribute('data-render-done', 'true', { timeout: 60_000 });
  // The first frame already shows the tumour. The labels follow each frame a moment later (a
  // React render), and the head may arrive and reframe the view meanwhile, so the colour is read
  // until the label and the frame agree.
  await expect
    .poll(
      async () => {
        const at = await lesionLabelAt(page);
        return isReddish(await pixelAt(canvas, at.x, at.y));
      },
      { message: 'the tumour colour at its label in the first frames' },
    )
    .toBe(true);

  // One lesion from the label map (labels 1 and 4 are one lesion), measured from its voxels.
  await expect(page.getByTestId('viewer3d-source')).toContainText('Label map');
  const rows = page.getByTestId('viewer3d-lesion');
  await expect(rows).toHaveCount(1);
  const voxels = (() => {
    let n = 0;
    for (let k = 0; k < DIMS[2]; k++)
      for (let j = 0; j < DIMS[1]; j++)
        for (let i = 0; i < DIMS[0]; i++) if (inLesion(i, j, k)) n++;
    return n;
  })();
  await expect(rows.first()).toContainText(`${(voxels / 1000).toFixed(1)} mL`);
  await expect(rows.first()).toContainText(/max\. diameter (1[89]|20) mm/);

  // The head arrives after the tumour; wait for it so the pictures compare like with like.
  await expect(canvas).toHaveAttribute('data-head', 'ready', { timeout: 60_000 });
  // The view is framed again to show the whole head; let the labels follow that frame.
  await page.waitForTimeout(500);
  const before = await lesionLabelAt(page);
  const colour = await pixelAt(canvas, before.x, before.y);
  expect(isReddish(colour), `tumour colour at the lesion, got ${colour.join(',')}`).toBe(true);
  await page.screenshot({ path: '/tmp/viewer3d-front.png' });

  // Turn the view by dragging: the lesion moves across the screen and the pixels change.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 220, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await lesionLabelAt(page)).x).not.toBe(before.x);
  const after = await lesionLabelAt(page);
  expect(Math.abs(after.x - before.x)).toBeGreaterThan(20);
  expect(isReddish(await pixelAt(canvas, after.x, after.y))).toBe(true);
  const vacated = await pixelAt(canvas, before.x, before.y);
  expect(vacated).not.toEqual(colour);

  // The colour-blind-safe scheme repaints the lesion (Okabe–Ito vermillion, no red-green pair).
  await page.getByTestId('viewer3d-view-superior').click();
  const top = await lesionLabelAt(page);
  const standard = await pixelAt(canvas, top.x, top.y);
  await page.getByTestId('viewer3d-colours').selectOption('colorblind');
  await expect.poll(() => pixelAt(canvas, top.x, top.y)).not.toEqual(standard);
  await page.screenshot({ path: '/tmp/viewer3d-top-colorblind.png' });

  // A distance between two points of the surface, in mm.
  await page.getByTestId('viewer3d-view-anterior').click();
  await page.getByTestId('viewer3d-head').uncheck();
  const front = await lesionLabelAt(page);
  await page.getByTestId('viewer3d-measure').click();
  await page.mouse.click(box.x + front.x - 4, box.y + front.y);
  await page.mouse.click(box.x + front.x + 4, box.y + front.y);
  await expect(page.getByTestId('viewer3d-distance-value')).toContainText(/Distance: \d+\.\d mm/);
});

test('an attached STL is drawn in its own colour and can be hidden', async ({ page }) => {
  await page.goto(`/#/scans/${scanId}/3d`);
  const canvas = page.getByTestId('viewer3d-canvas');
  await expect(canvas).toHaveAttribute('data-render-done', 'true', { timeout: 60_000 });
  const row = page.getByTestId('viewer3d-attachment');
  await expect(row).toContainText('upper-jaw.stl');
  await expect(row).toContainText('triangles');
  await page.getByTestId('viewer3d-head').uncheck();
  await page.getByTestId('viewer3d-attachment-colour').fill('#00ff00');
  const greenPixels = (): Promise<number> =>
    canvas.evaluate((host) => {
      const gl = host.querySelector('canvas')!;
      const copy = document.createElement('canvas');
      copy.width = gl.width;
      copy.height = gl.height;
      const context = copy.getContext('2d')!;
      context.drawImage(gl, 0, 0);
      const { data } = context.getImageData(0, 0, gl.width, gl.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 1]! > 120 && data[i]! < 90 && data[i + 2]! < 90) count++;
      return count;
    });
  await expect.poll(greenPixels).toBeGreaterThan(200);
  await page.getByTestId('viewer3d-attachment-visible').uncheck();
  await expect.poll(greenPixels).toBeLessThan(20);
});
