import { expect, test } from '@playwright/test';
import { freePort, hasOrthanc, type TestOrthanc } from '../src-main/test-support/orthanc.js';
import { LoginPage } from './pages/auth-pages.js';
import { QueryPage } from './pages/query-page.js';
import { ADMIN } from './support/accounts.js';
import { adminToken, rpc } from './support/api.js';
import { saveDestination, startPacsWithPrior, uploadLargeStudy } from './support/pacs.js';

/** The DICOM node's stored settings (dicom.node.get's `node`). */
async function nodeSettings(request: Parameters<typeof rpc>[0]): Promise<Record<string, unknown>> {
  const answer = await rpc(request, 'dicom.node.get', {}, token);
  expect(answer.body.ok, JSON.stringify(answer.body.error)).toBe(true);
  return (answer.body.value as { node: Record<string, unknown> }).node;
}

// A prior study pulled from Orthanc by a query in the UI (issue 17's "done when").
// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });
test.skip(!hasOrthanc(), 'needs Orthanc (apt install orthanc)');

const OUR_AE = 'NS_E2E_QR';
let orthanc: TestOrthanc;
let token: string;
let listenerPort: number;

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  token = await adminToken(request);
  orthanc = await startPacsWithPrior('qr', {
    patientId: 'PRIOR-E2E',
    patientName: 'Priorova^Anna',
    studyDate: '20220614',
    studyDescription: 'MR brain prior',
    modality: 'MR',
    series: [
      { description: 'T1 axial', slices: 4 },
      { description: 'FLAIR axial', slices: 3 },
    ],
  });
  listenerPort = await freePort();
  await orthanc.addModality('neurosphere', OUR_AE, listenerPort);
  await saveDestination(request, token, {
    id: 'e2e-qr',
    name: 'Archive PACS',
    aeTitle: 'ORTHANC',
    host: '127.0.0.1',
    port: orthanc.dicomPort,
  });
});

test.afterAll(async ({ request }) => {
  // Leave the listener off for the specs after this one.
  await rpc(
    request,
    'dicom.node.update',
    { ...(await nodeSettings(request)), enabled: false },
    token,
  );
  await orthanc?.stop();
});

test('a prior study is found on the PACS, retrieved with progress and then in the worklist', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await new LoginPage(page).loginAs(ADMIN);
  await page.getByTestId('nav-query').click();
  await expect(page.getByTestId('query-page')).toBeVisible();
  // Other specs add destinations of their own to the shared server: choose this one.
  await page.getByTestId('query-destination').selectOption('e2e-qr');
  await expect(page.getByTestId('query-destination')).toHaveValue('e2e-qr');

  // An empty search is refused: it would list the whole PACS.
  await page.getByTestId('query-search').click();
  await expect(page.getByTestId('error-message')).toContainText('empty search');

  await page.getByTestId('query-name').fill('priorova');
  await page.getByTestId('query-modality').selectOption('MR');
  await page.getByTestId('query-date-from').fill('2022-01-01');
  await page.getByTestId('query-date-to').fill('2022-12-31');
  await page.getByTestId('query-search').click();
  const study = page.getByTestId('query-study');
  await expect(study).toHaveCount(1);
  await expect(study).toContainText('Priorova, Anna');
  await expect(study).toContainText('2022-06-14');
  await expect(study).toContainText('PRIOR-E2E');
  await expect(study.getByTestId('query-local')).toHaveCount(0);

  await study.getByTestId('query-series-toggle').click();
  const seriesRows = page.getByTestId('query-series-row');
  await expect(seriesRows).toHaveCount(2);
  await expect(seriesRows.nth(0)).toContainText('T1 axial');
  await expect(seriesRows.nth(1)).toContainText('3 instances');

  // The listener is off: the screen says to turn it on, not a network error.
  await study.getByTestId('query-retrieve').click();
  await expect(page.getByTestId('error-message')).toContainText(
    'The DICOM listener is off: turn it on in Settings → DICOM',
  );

  const enabled = await rpc(
    request,
    'dicom.node.update',
    {
      ...(await nodeSettings(request)),
      enabled: true,
      aeTitle: OUR_AE,
      port: listenerPort,
      bindAddress: '127.0.0.1',
      allowedCallers: [],
    },
    token,
  );
  expect(enabled.body.ok, JSON.stringify(enabled.body.error)).toBe(true);

  // One series first, then the whole study.
  await seriesRows.nth(1).getByTestId('query-series-retrieve').click();
  const retrieve = page.getByTestId('retrieve');
  await expect(retrieve.first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(retrieve.first().getByTestId('retrieve-count')).toHaveText('3 / 3 instances');
  await expect(page.getByTestId('error-message')).toHaveCount(0);

  // The finished retrieve searched again: the study is here now (in part), and the series says which.
  await expect(study.getByTestId('query-local')).toBeVisible();
  await expect(seriesRows.nth(1).getByTestId('query-series-local')).toBeVisible();
  await expect(seriesRows.nth(0).getByTestId('query-series-local')).toHaveCount(0);
  await study.getByTestId('query-retrieve').click();
  await expect(retrieve).toHaveCount(2);
  await expect(retrieve.first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(retrieve.first().getByTestId('retrieve-count')).toHaveText('7 / 7 instances');
  await page.screenshot({ path: '/tmp/query-retrieve.png', fullPage: true });

  await new QueryPage(page).openLatestRetrieve('Priorova', ['FLAIR axial', 'T1 axial']);
});

test('"Priors…" on a patient opens the query for that patient ID and searches it', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/patients');
  await page.getByText('Priorova').first().click();
  await expect(page.getByTestId('patient-detail-page')).toBeVisible();
  // The query screen asks the PACS used last (remembered in this browser); other specs add
  // destinations of their own to the shared server, so say which one this user used last.
  await page.evaluate(() => localStorage.setItem('neurosphere.query.destination', 'e2e-qr'));
  await page.getByTestId('patient-priors').click();
  await expect(page.getByTestId('query-page')).toBeVisible();
  await expect(page.getByTestId('query-destination')).toHaveValue('e2e-qr');
  await expect(page.getByTestId('query-patient-id')).toHaveValue('PRIOR-E2E');
  // Searched at once: no click needed.
  const study = page.getByTestId('query-study');
  await expect(study).toHaveCount(1);
  await expect(study.getByTestId('query-local')).toBeVisible();
});

test('an administrator makes a PACS sync, pauses it on its own, limits the bandwidth and stops it', async ({
  page,
}) => {
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto('/#/sync');
  await expect(page.getByTestId('sync-page')).toBeVisible();
  const settings = page.getByTestId('sync-settings-e2e-qr');
  await expect(settings.getByTestId('sync-settings-not-syncing')).toBeVisible();
  // De-identified: reports are then not sent, so nothing leaves for this test's PACS.
  await settings.getByTestId('sync-flag-reports').check();
  await settings.getByTestId('sync-flag-deidentify').check();
  await page.getByTestId('sync-bandwidth').fill('512');
  await page.getByTestId('sync-settings-save').click();
  await expect(page.getByTestId('sync-settings-saved')).toBeVisible();
  await expect(page.getByTestId('sync-state')).toContainText('limit 512 KiB/s');
  const row = page.getByTestId('sync-destination-e2e-qr');
  await expect(row).toContainText('Archive PACS');
  await expect(settings.getByTestId('sync-settings-stop')).toBeVisible();

  await row.getByTestId('sync-destination-pause').click();
  await expect(row.getByTestId('sync-destination-paused')).toBeVisible();
  await expect(row.getByTestId('sync-destination-pause')).toHaveText('Resume');
  // Saved, not a screen state: a reload shows it paused still.
  await page.reload();
  await expect(row.getByTestId('sync-destination-paused')).toBeVisible();
  await row.getByTestId('sync-destination-pause').click();
  await expect(row.getByTestId('sync-destination-paused')).toHaveCount(0);

  await settings.getByTestId('sync-settings-stop').click();
  await expect(row).toHaveCount(0);
  await expect(settings.getByTestId('sync-settings-not-syncing')).toBeVisible();
  await expect(settings.getByTestId('sync-flag-reports')).not.toBeChecked();
});

test('a running retrieve shows its progress and is cancelled, keeping what arrived', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await uploadLargeStudy(orthanc, 'qr-big', 120, {
    patientId: 'BIG-E2E',
    patientName: 'Longova^Bea',
    studyDate: '20210101',
  });
  await new LoginPage(page).loginAs(ADMIN);
  const query = new QueryPage(page);
  const study = await query.findPatientStudy('e2e-qr', 'BIG-E2E');
  await query.retrieveAndCancel(study, 'Longova', 120);
});
