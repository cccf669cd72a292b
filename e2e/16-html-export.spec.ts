import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { makeBinaryStl, makeNifti, TETRAHEDRON } from '../src-main/test-support/volume-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { importServerPaths, rpc, sessionTokenOf } from './support/api.js';

test.describe.configure({ mode: 'serial' });

const DIMS: [number, number, number] = [80, 80, 48];
/** A lesion off the head's centre (voxels). */
const inLesion = (i: number, j: number, k: number): boolean =>
  Math.hypot(i - 50, j - 34, k - 26) <= 9;

/** A 1 mm "FLAIR" head: an ellipsoid of tissue with a bright lesion, in dark background. */
function makeHead(): Buffer {
  return makeNifti({
    dims: DIMS,
    gzip: true,
    voxel: (i, j, k) => {
      if (Math.hypot((i - 40) / 32, (j - 40) / 36, (k - 24) / 21) > 1) return (i + j + k) % 7;
      return inLesion(i, j, k) ? 900 : 400 + ((i * 13 + j * 7 + k * 5) % 40);
    },
  });
}

function makeLabels(): Buffer {
  return makeNifti({
    dims: DIMS,
    datatype: 'uint8',
    gzip: true,
    voxel: (i, j, k) => (inLesion(i, j, k) ? 2 : 0),
  });
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-html-'));
let scanId = '';

test.beforeAll(async ({ browser, request }) => {
  const volume = join(dir, `head-${Date.now()}.nii.gz`);
  const labels = join(dir, 'lesion-seg.nii.gz');
  const stl = join(dir, 'upper-jaw.stl');
  writeFileSync(volume, makeHead());
  writeFileSync(labels, makeLabels());
  writeFileSync(stl, makeBinaryStl(TETRAHEDRON));
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

/** The colour drawn at a point of the scene's canvas (CSS pixels), read back from WebGL. */
async function pixelAt(stage: Locator, x: number, y: number): Promise<[number, number, number]> {
  return stage.evaluate(
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

const isReddish = ([r, g, b]: [number, number, number]): boolean => r > g + 60 && r > b + 40;

test('an HTML scene generated on the 3D page opens offline from a file and shows the tumour', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto(`/#/scans/${scanId}/3d`);
  const panel = page.getByTestId('html-scene-panel');
  await expect(panel).toContainText('No HTML scene yet.');
  await panel.getByTestId('html-scene-quality').selectOption('low');
  await panel.getByTestId('html-scene-generate').click();

  // The job's progress is shown while it runs, then the scene is listed as done.
  const item = panel.getByTestId('html-scene-item').first();
  await expect(item).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  await expect(item).toContainText(/Low quality .* 1 lesion · \d/);
  await page.screenshot({ path: '/tmp/html-scene-page.png' });

  const downloading = page.waitForEvent('download');
  await item.getByTestId('html-scene-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^neurosphere-3d-scene-low-[0-9a-f]{8}\.html$/);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);

  // A browser with every request that is not the file itself refused, and each one counted.
  const offline = await browser.newContext();
  const requests: string[] = [];
  await offline.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const scene = await offline.newPage();
  const errors: string[] = [];
  scene.on('pageerror', (error) => errors.push(error.message));
  scene.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await scene.goto(`file://${file}`);
  const stage = scene.getByTestId('scene-canvas');
  await expect(stage).toHaveAttribute('data-render-done', 'true', { timeout: 60_000 });
  await expect(scene.getByTestId('scene-lesion')).toHaveCount(1);
  // The attached STL is in the scene too, with its own switch.
  await expect(scene.getByTestId('scene-attachment')).toHaveCount(1);
  await expect(scene.getByTestId('scene-lesion').first()).toContainText(
    /^1 · \d+\.\d mL · ⌀ 1[6-9] mm$/,
  );

  const label = scene.getByTestId('scene-lesion-label').first();
  await expect(label).toBeVisible();
  const x = Number(await label.getAttribute('data-x'));
  const y = Number(await label.getAttribute('data-y'));
  const colour = await pixelAt(stage, x, y);
  expect(isReddish(colour), `tumour colour at the lesion, got ${colour.join(',')}`).toBe(true);
  // Away from everything: the background.
  const corner = await pixelAt(stage, 3, 3);
  expect(isReddish(corner)).toBe(false);
  await scene.screenshot({ path: '/tmp/html-scene-offline.png' });

  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
  await offline.close();
});
