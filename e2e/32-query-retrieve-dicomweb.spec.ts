import { expect, test } from '@playwright/test';
import { startHttpGateway, type HttpGateway } from '../src-main/test-support/http-gateway.js';
import { hasOrthanc, type TestOrthanc } from '../src-main/test-support/orthanc.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { QueryPage } from './pages/query-page.js';
import { ADMIN } from './support/accounts.js';
import { adminToken, rpc } from './support/api.js';
import { saveDestination, startPacsWithPrior, uploadLargeStudy } from './support/pacs.js';

// Query/retrieve by DICOMweb (issue 17): QIDO-RS for the search, WADO-RS for the retrieve, from
// Orthanc's DICOMweb plugin; the DICOM listener stays off throughout (nothing comes by C-MOVE).
// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });
test.skip(!hasOrthanc(), 'needs Orthanc (apt install orthanc orthanc-dicomweb)');

const TOKEN = 'qr-web-e2e-token';
let orthanc: TestOrthanc;
let gateway: HttpGateway;
let token: string;

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  token = await adminToken(request);
  orthanc = await startPacsWithPrior('qrweb', {
    patientId: 'WEB-PRIOR-E2E',
    patientName: 'Webova^Vera',
    studyDate: '20230305',
    studyDescription: 'MR head web prior',
    modality: 'MR',
    series: [
      { description: 'T2 axial', slices: 4 },
      { description: 'DWI axial', slices: 3 },
    ],
  });
  gateway = await startHttpGateway({ upstream: orthanc.httpUrl, bearer: TOKEN });
  // Both ways: DIMSE (the default) and DICOMweb, chosen on the screen.
  await saveDestination(request, token, {
    id: 'e2e-qrweb-both',
    name: 'Both PACS',
    aeTitle: 'ORTHANC',
    host: '127.0.0.1',
    port: orthanc.dicomPort,
    dicomweb: { url: `${orthanc.httpUrl}/dicom-web`, auth: 'none' },
  });
  // DICOMweb only, behind a gateway that wants a bearer token.
  await saveDestination(request, token, {
    id: 'e2e-qrweb-cloud',
    name: 'Cloud PACS',
    dicomweb: { url: `${gateway.url}/dicom-web`, auth: 'bearer' },
  });
});

test.afterAll(async ({ request }) => {
  for (const id of ['e2e-qrweb-both', 'e2e-qrweb-cloud', 'web-only-archive'])
    await rpc(request, 'dicom.destinations.remove', { id }, token);
  await gateway?.close();
  await orthanc?.stop();
});

test('a prior study is found by QIDO-RS and retrieved by WADO-RS with progress, listener off', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const node = await rpc(request, 'dicom.node.get', {}, token);
  expect((node.body.value as { status: { listening: boolean } }).status.listening).toBe(false);

  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/query');
  await page.getByTestId('query-destination').selectOption('e2e-qrweb-both');
  // Both ways exist: the choice is shown, DIMSE first.
  await expect(page.getByTestId('query-source-dimse')).toBeChecked();
  await page.getByTestId('query-source-dicomweb').check();

  await page.getByTestId('query-name').fill('webova');
  await page.getByTestId('query-modality').selectOption('MR');
  await page.getByTestId('query-date-from').fill('2023-01-01');
  await page.getByTestId('query-date-to').fill('2023-12-31');
  await page.getByTestId('query-search').click();
  const study = page.getByTestId('query-study');
  await expect(study).toHaveCount(1);
  await expect(study).toContainText('Webova, Vera');
  await expect(study).toContainText('2023-03-05');
  await expect(study).toContainText('WEB-PRIOR-E2E');
  await expect(study).toContainText('MR head web prior');
  await expect(study.getByTestId('query-local')).toHaveCount(0);

  // A modality the study lacks finds nothing (ModalitiesInStudy matched by the PACS).
  await page.getByTestId('query-modality').selectOption('CT');
  await page.getByTestId('query-search').click();
  await expect(page.getByTestId('query-empty')).toBeVisible();
  await page.getByTestId('query-modality').selectOption('MR');
  await page.getByTestId('query-search').click();
  await expect(study).toHaveCount(1);

  await study.getByTestId('query-series-toggle').click();
  const seriesRows = page.getByTestId('query-series-row');
  await expect(seriesRows).toHaveCount(2);
  await expect(seriesRows.nth(0)).toContainText('T2 axial');
  await expect(seriesRows.nth(1)).toContainText('DWI axial');
  await expect(seriesRows.nth(1)).toContainText('3 instances');

  // One series first (no listener needed: WADO-RS), then the whole study.
  // In the full run the server keeps the retrieves of earlier specs: count from what is listed.
  const retrieve = page.getByTestId('retrieve');
  const listedBefore = await retrieve.count();
  await seriesRows.nth(1).getByTestId('query-series-retrieve').click();
  await expect(retrieve).toHaveCount(listedBefore + 1);
  await expect(retrieve.first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(retrieve.first().getByTestId('retrieve-state')).toContainText('(DICOMweb)');
  await expect(retrieve.first().getByTestId('retrieve-count')).toHaveText('3 / 3 instances');
  await expect(page.getByTestId('error-message')).toHaveCount(0);
  await expect(study.getByTestId('query-local')).toBeVisible();
  await expect(seriesRows.nth(1).getByTestId('query-series-local')).toBeVisible();
  await expect(seriesRows.nth(0).getByTestId('query-series-local')).toHaveCount(0);

  await study.getByTestId('query-retrieve').click();
  await expect(retrieve).toHaveCount(listedBefore + 2);
  await expect(retrieve.first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(retrieve.first().getByTestId('retrieve-count')).toHaveText('7 / 7 instances');
  await expect(seriesRows.nth(0).getByTestId('query-series-local')).toBeVisible();
  await page.screenshot({ path: '/tmp/query-retrieve-dicomweb.png', fullPage: true });

  await new QueryPage(page).openLatestRetrieve('Webova', ['DWI axial', 'T2 axial']);
});

test('a DICOMweb-only destination is added without AE title, host and port, tested and queried', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const panel = page.getByTestId('dicom-destinations');
  // Without a URL, DIMSE is needed: the message says which field and why.
  await panel.getByTestId('dicom-destination-name').fill('Web only archive');
  await panel.getByTestId('dicom-destination-ae').fill('ARCHIVE');
  await panel.getByTestId('dicom-destination-add').click();
  await expect(panel.getByTestId('error-message')).toContainText('Host needed');
  await panel.getByTestId('dicom-destination-ae').fill('');
  await panel.getByTestId('dicom-destination-url').fill(`${orthanc.httpUrl}/dicom-web`);
  await panel.getByTestId('dicom-destination-add').click();
  const row = panel.getByTestId('dicom-destination-web-only-archive');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('dicomweb-url-cell')).toHaveText(`${orthanc.httpUrl}/dicom-web`);
  // No C-ECHO without DIMSE: the test is a QIDO-RS search.
  await row.getByTestId('dicom-echo').click();
  await expect(row.getByTestId('dicom-echo-result')).toContainText(
    'OK: answered the QIDO-RS search in',
  );
  await row.getByTestId('dicomweb-edit').click();
  await expect(page.getByTestId('dicomweb-only')).toBeVisible();
  await expect(page.getByTestId('dicomweb-remove')).toHaveCount(0);

  await page.goto('/#/query');
  await page.getByTestId('query-destination').selectOption('web-only-archive');
  await expect(page.getByTestId('query-source')).toHaveCount(0);
  await page.getByTestId('query-patient-id').fill('WEB-PRIOR-E2E');
  await page.getByTestId('query-search').click();
  const study = page.getByTestId('query-study');
  await expect(study).toHaveCount(1);
  await expect(study.getByTestId('query-local')).toBeVisible();
});

test('a refused token is said in words: no token, then HTTP 401, then the right one works', async ({
  page,
  request,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/query');
  await page.getByTestId('query-destination').selectOption('e2e-qrweb-cloud');
  await page.getByTestId('query-patient-id').fill('WEB-PRIOR-E2E');
  await page.getByTestId('query-search').click();
  await expect(page.getByTestId('error-message')).toContainText('No token is stored');
  const wrong = await rpc(
    request,
    'dicomweb.secret.set',
    { destinationId: 'e2e-qrweb-cloud', secret: 'not-the-token' },
    token,
  );
  expect(wrong.body.ok, JSON.stringify(wrong.body.error)).toBe(true);
  await page.getByTestId('query-search').click();
  await expect(page.getByTestId('error-message')).toContainText(
    'refused the credentials (HTTP 401)',
  );
  await expect(page.getByTestId('error-message')).toContainText('token in Settings');
  await rpc(
    request,
    'dicomweb.secret.set',
    { destinationId: 'e2e-qrweb-cloud', secret: TOKEN },
    token,
  );
  await page.getByTestId('query-search').click();
  await expect(page.getByTestId('query-study')).toHaveCount(1);
  await expect(page.getByTestId('error-message')).toHaveCount(0);
});

test('a running WADO-RS retrieve is cancelled, keeping what was imported', async ({ page }) => {
  test.setTimeout(120_000);
  await uploadLargeStudy(orthanc, 'qrweb-big', 150, {
    patientId: 'WEB-BIG-E2E',
    patientName: 'Dlouha^Web',
    studyDate: '20210202',
  });
  await new LoginPage(page).loginAs(ADMIN);
  const query = new QueryPage(page);
  const study = await query.findPatientStudy('web-only-archive', 'WEB-BIG-E2E');
  await query.retrieveAndCancel(study, 'Dlouha', 150);
});
