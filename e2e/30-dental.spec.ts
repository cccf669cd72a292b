import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixtureUid, makeDicom } from '../src-main/test-support/dicom-fixtures.js';
import { makeNifti } from '../src-main/test-support/volume-fixtures.js';
import { archPhantom, phantomHu } from '../src-shared/dental/cbct-phantom.js';
import { writeBinaryStl } from '../src-shared/mesh/stl.js';
import { LoginPage } from './pages/auth-pages.js';
import { ViewerPage } from './pages/viewer-page.js';
import { saveScreen } from './support/screens.js';
import { ADMIN } from './support/accounts.js';
import { rpc, sessionTokenOf } from './support/api.js';

test.describe.configure({ mode: 'serial' });

/** A closed box (12 triangles) of the given size at a height: a stand-in for a jaw scan. */
function boxStl(z: number, size: number): Uint8Array {
  const s = size / 2;
  const corners = [
    [-s, -s, z - s],
    [s, -s, z - s],
    [s, s, z - s],
    [-s, s, z - s],
    [-s, -s, z + s],
    [s, -s, z + s],
    [s, s, z + s],
    [-s, s, z + s],
  ].flat();
  const faces = [
    [0, 2, 1],
    [0, 3, 2],
    [4, 5, 6],
    [4, 6, 7],
    [0, 1, 5],
    [0, 5, 4],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 0, 4],
    [3, 4, 7],
  ].flat();
  return writeBinaryStl({ positions: new Float32Array(corners), indices: new Uint32Array(faces) });
}

/** The phantom CBCT (a parabolic arch of teeth) as an axial DICOM series, 0.5 mm isotropic. */
const DIMS: [number, number, number] = [96, 80, 40];
function writeCbctFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const phantom = archPhantom(DIMS);
  const study = fixtureUid();
  const series = fixtureUid();
  for (let k = 0; k < DIMS[2]; k++)
    writeFileSync(
      join(dir, `CT${String(k + 1).padStart(4, '0')}.dcm`),
      makeDicom({
        patientName: 'Dental^Phantom',
        patientId: 'E2E-DENTAL',
        studyInstanceUid: study,
        seriesInstanceUid: series,
        sopInstanceUid: `${series}.${k + 1}`,
        seriesDescription: 'CBCT PHANTOM',
        modality: 'CT',
        instanceNumber: k + 1,
        rows: DIMS[1],
        columns: DIMS[0],
        pixelSpacing: [0.5, 0.5],
        sliceThickness: 0.5,
        imagePosition: [0, 0, k * 0.5],
        pixel: (row, column) => phantomHu(phantom, column, row, k) + 1024,
        extraAttributes: { RescaleIntercept: '-1024', RescaleSlope: '1' },
      }),
    );
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-dental-'));
const upperPath = join(dir, 'upper-jaw.stl');
const lowerPath = join(dir, 'lower-jaw.stl');
const cbctDir = join(dir, 'CBCT01');
const niftiPath = join(dir, 'cbct-phantom.nii.gz');

test.beforeAll(async ({ request }) => {
  writeFileSync(upperPath, boxStl(10, 20));
  writeFileSync(lowerPath, boxStl(-10, 20));
  writeCbctFolder(cbctDir);
  const phantom = archPhantom(DIMS);
  writeFileSync(
    niftiPath,
    makeNifti({
      dims: DIMS,
      sform: [
        [0.5, 0, 0, 0],
        [0, 0.5, 0, 0],
        [0, 0, 0.5, 0],
      ],
      gzip: true,
      voxel: (i, j, k) => phantomHu(phantom, i, j, k),
    }),
  );
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
});

test('a dental case from the UI: two STLs and a CBCT DICOM folder, the jaws in 3D, the CBCT and its panoramic view, a caption, downloads with their MIME types', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('nav-dental').click();
  await expect(page.getByTestId('dental-page')).toBeVisible();

  // A folder, then the seed's form into it.
  await page.getByTestId('dental-folder-new-name').fill('Orthodontics');
  await page.getByTestId('dental-folder-create').click();
  await expect(page.getByTestId('dental-folders')).toContainText('Orthodontics');
  await page.getByTestId('dental-new').click();
  await page.getByTestId('dental-new-name').fill('Phantom pair 001');
  await page.getByTestId('dental-new-folder').selectOption({ label: 'Orthodontics' });
  await page.getByTestId('dental-new-upper').setInputFiles(upperPath);
  await page.getByTestId('dental-new-lower').setInputFiles(lowerPath);
  await page.getByTestId('dental-new-cbct-folder').setInputFiles(cbctDir);
  await expect(page.getByTestId('dental-new-cbct-count')).toContainText('40 files');
  await saveScreen(page, 'dental-new-case');
  await page.getByTestId('dental-new-submit').click();

  // The case page: the STLs stored at once, the CBCT's import job followed to its end.
  await expect(page.getByTestId('dental-case-page')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('dental-case-name')).toHaveText('Phantom pair 001');
  await expect(page.getByTestId('dental-part-upper')).toContainText('12 triangles');
  await expect(page.getByTestId('dental-part-lower')).toContainText('12 triangles');
  await expect(page.getByTestId('dental-part-cbct')).toHaveAttribute('data-status', 'completed', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('dental-case-folder').locator('option:checked')).toHaveText(
    'Orthodontics',
  );

  // Both jaws in the 3D view, drawn.
  await expect(page.getByTestId('dental-meshes')).toHaveAttribute('data-meshes-ready', '2');
  await expect(page.getByTestId('viewer3d-canvas')).toHaveAttribute('data-render-done', 'true');

  // The panoramic view: the arch found as 7 points, the teeth a bright band across the width.
  await page.getByTestId('dental-panoramic-toggle').click();
  const panoramic = page.getByTestId('dental-panoramic-canvas');
  await expect
    .poll(async () => Number(await panoramic.getAttribute('data-render-count')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  const points = JSON.parse(
    (await page.getByTestId('dental-arch-canvas').getAttribute('data-points')) ?? '[]',
  ) as number[][];
  expect(points).toHaveLength(7);
  const rows = await panoramic.evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const context = canvas.getContext('2d');
    if (context === null) return [];
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    // Per row: the share of pixels as bright as teeth in the bone/teeth window.
    return Array.from({ length: height }, (_, y) => {
      let bright = 0;
      for (let x = 0; x < width; x++) if ((data[(y * width + x) * 4] ?? 0) >= 200) bright += 1;
      return bright / width;
    });
  });
  expect(rows.length).toBe(40);
  const teethRows = rows.filter((share) => share > 0.9).length;
  // The phantom's teeth span slices 16–24 (9 of 40): about that many rows, not the whole image.
  expect(teethRows).toBeGreaterThanOrEqual(6);
  expect(teethRows).toBeLessThanOrEqual(12);
  expect(rows[0]).toBeLessThan(0.05);
  expect(rows[39]).toBeLessThan(0.05);
  await panoramic.scrollIntoViewIfNeeded();
  await saveScreen(page, 'dental-panoramic');
  // Dragging the middle control point moves it and draws the panoramic view again.
  const archCanvas = page.getByTestId('dental-arch-canvas');
  const box = await archCanvas.boundingBox();
  if (box === null) throw new Error('no arch canvas');
  const [mx, my] = points[3] as [number, number];
  const toScreen = (x: number, y: number) => ({
    x: box.x + ((x + 0.5) / DIMS[0]) * box.width,
    y: box.y + ((y + 0.5) / DIMS[1]) * box.height,
  });
  const rendersBeforeDrag = Number(await panoramic.getAttribute('data-render-count'));
  const from = toScreen(mx, my);
  const to = toScreen(mx, my + 10);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(async () => {
      const moved = JSON.parse(
        (await archCanvas.getAttribute('data-points')) ?? '[]',
      ) as number[][];
      return (moved[3]?.[1] ?? 0) - my;
    })
    .toBeGreaterThanOrEqual(8);
  await expect
    .poll(async () => Number(await panoramic.getAttribute('data-render-count')))
    .toBeGreaterThan(rendersBeforeDrag);
  await page.getByTestId('dental-arch-reset').click();
  await expect(archCanvas).toHaveAttribute('data-points', JSON.stringify(points));

  // A thinner slab, an average: drawn again.
  const before = Number(await panoramic.getAttribute('data-render-count'));
  await page.getByTestId('dental-panoramic-mode').selectOption('average');
  await expect
    .poll(async () => Number(await panoramic.getAttribute('data-render-count')))
    .toBeGreaterThan(before);

  await page.getByTestId('dental-meshes').scrollIntoViewIfNeeded();
  await saveScreen(page, 'dental-case-3d');
  // A text caption with its author, then an edit kept in the history.
  await page.getByTestId('dental-caption-modality').selectOption('cbct');
  await page.getByTestId('dental-caption-new-text').fill('Impacted lower left third molar.');
  await page.getByTestId('dental-caption-add').click();
  const caption = page.getByTestId('dental-caption');
  await expect(caption).toContainText('Impacted lower left third molar.');
  await expect(caption).toContainText(ADMIN.username);
  await caption.getByTestId('dental-caption-edit').click();
  await caption.getByTestId('dental-caption-edit-text').fill('Impacted lower right third molar.');
  await caption.getByTestId('dental-caption-save').click();
  await expect(caption.getByTestId('dental-caption-text')).toHaveText(
    'Impacted lower right third molar.',
  );
  await caption.getByTestId('dental-caption-history-toggle').click();
  await expect(caption.getByTestId('dental-caption-history').locator('li')).toHaveCount(2);

  // The files: the UI's download gives the STL's bytes; the stream names the MIME types.
  const upperRow = page.locator('[data-testid="dental-file-row"][data-role="upper"]');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    upperRow.getByTestId('dental-file-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe('upper-jaw.stl');
  const saved = await download.path();
  expect(readFileSync(saved).equals(readFileSync(upperPath))).toBe(true);
  await expect(upperRow).toContainText('model/stl');

  const token = await sessionTokenOf(page);
  const caseId = page.url().split('/').pop() ?? '';
  const listed = await rpc(request, 'dental.files.list', { caseId }, token);
  const files = (listed.body.value as { items: { id: string; role: string; mimeType: string }[] })
    .items;
  const mimeOf = async (role: string): Promise<{ type: string; disposition: string }> => {
    const file = files.find((f) => f.role === role);
    if (file === undefined) throw new Error(`no ${role} file`);
    const response = await request.get(`/api/stream/dental.file?fileId=${file.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(200);
    return {
      type: response.headers()['content-type'] ?? '',
      disposition: response.headers()['content-disposition'] ?? '',
    };
  };
  expect((await mimeOf('upper')).type).toMatch(/^model\/stl/);
  expect((await mimeOf('lower')).disposition).toContain('lower-jaw.stl');
  const cbct = await mimeOf('cbct');
  expect(cbct.type).toMatch(/^application\/octet-stream/);
  expect(cbct.disposition).toMatch(/^attachment/);

  // The health reports the job queue as the seed's does.
  const health = (await (await request.get('/api/health')).json()) as {
    queue?: { pending: number; processing: number };
  };
  expect(health.queue).toEqual({ pending: expect.any(Number), processing: expect.any(Number) });

  // The CBCT opens in the 2D viewer, which offers the dental windows.
  await page.getByTestId('dental-cbct-open').click();
  const viewer = new ViewerPage(page);
  await viewer.waitForRender();
  await viewer.applyPreset('dental-bone-teeth');
  await expect(page.getByTestId('viewport-window')).toHaveText('C 800 / W 3000');

  // The list filters by folder.
  await page.goto('/#/dental');
  await page.getByTestId('dental-folder-none').click();
  await expect(page.getByTestId('dental-empty')).toBeVisible();
  await page.getByTestId('dental-folder-all').click();
  await expect(page.getByTestId('dental-case-row')).toHaveCount(1);
  // Renaming the folder renames it in the list of cases too.
  await page.getByTestId('dental-folder-rename-Orthodontics').click();
  await page.getByTestId('dental-folder-rename-input').fill('Orthodontics 2026');
  await page.getByTestId('dental-folder-rename-input').press('Enter');
  await expect(page.getByTestId('dental-folders')).toContainText('Orthodontics 2026');
  await expect(page.getByTestId('dental-case-row')).toContainText('Orthodontics 2026');
});

test('a NIfTI CBCT from the form: its whole header readable, its panoramic view', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/dental');
  await page.getByTestId('dental-new').click();
  await page.getByTestId('dental-new-name').fill('NIfTI CBCT 002');
  await page.getByTestId('dental-new-cbct-kind-file').check();
  await page.getByTestId('dental-new-cbct-file').setInputFiles(niftiPath);
  await page.getByTestId('dental-new-submit').click();
  await expect(page.getByTestId('dental-case-page')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('dental-part-cbct')).toHaveAttribute('data-status', 'completed', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('dental-part-upper')).toContainText('not given');

  await page.getByTestId('dental-nifti-show').click();
  const header = page.getByTestId('dental-nifti-table');
  await expect(header).toContainText('3: 96 × 80 × 40');
  await expect(header).toContainText('int16 (code 4), 16 bits');
  await expect(header).toContainText('2 (aligned anatomical)');
  await expect(header).toContainText('[0.5, 0, 0, 0] [0, 0.5, 0, 0] [0, 0, 0.5, 0] [0, 0, 0, 1]');
  await expect(header).toContainText('n+1');

  await page.getByTestId('dental-panoramic-toggle').click();
  const panoramic = page.getByTestId('dental-panoramic-canvas');
  await expect
    .poll(async () => Number(await panoramic.getAttribute('data-render-count')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  const brightRows = await panoramic.evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const { data, width, height } = canvas
      .getContext('2d')!
      .getImageData(0, 0, canvas.width, canvas.height);
    let rows = 0;
    for (let y = 0; y < height; y++) {
      let bright = 0;
      for (let x = 0; x < width; x++) if ((data[(y * width + x) * 4] ?? 0) >= 200) bright += 1;
      if (bright / width > 0.9) rows += 1;
    }
    return rows;
  });
  expect(brightRows).toBeGreaterThanOrEqual(6);
  expect(brightRows).toBeLessThanOrEqual(12);
});
