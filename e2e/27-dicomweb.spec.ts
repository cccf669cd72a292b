import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHttpGateway, type HttpGateway } from '../src-main/test-support/http-gateway.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../src-main/test-support/orthanc.js';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });
test.skip(!hasOrthanc(), 'needs Orthanc (apt install orthanc orthanc-dicomweb)');

const TOKEN = 'e2e-bearer-5d1c0a9e';
let orthanc: TestOrthanc;
let gateway: HttpGateway;
let token: string;

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  token = await loginToken(request, ADMIN.username, ADMIN.password);
  orthanc = await startOrthanc(
    join(mkdtempSync(join(tmpdir(), 'neurosphere-e2e-web-')), 'orthanc'),
  );
  // Orthanc's DICOMweb behind a gateway that wants a bearer token.
  gateway = await startHttpGateway({ upstream: orthanc.httpUrl, bearer: TOKEN });
  const saved = await rpc(
    request,
    'dicom.destinations.save',
    {
      id: 'web-pacs',
      name: 'Web PACS',
      aeTitle: 'ORTHANC',
      host: '127.0.0.1',
      port: orthanc.dicomPort,
    },
    token,
  );
  expect(saved.body.ok, JSON.stringify(saved.body.error)).toBe(true);
});

test.afterAll(async () => {
  await gateway?.close();
  await orthanc?.stop();
});

test('an administrator gives a PACS a DICOMweb URL and token (kept in the keychain, never shown) and tests it', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await new LoginPage(page).loginAs(ADMIN);
  await new AppPage(page).open('settings');
  const row = page.getByTestId('dicom-destination-web-pacs');
  await row.getByTestId('dicomweb-edit').click();
  const editor = page.getByTestId('dicomweb-editor-web-pacs');
  await editor.getByTestId('dicomweb-url').fill(`${gateway.url}/dicom-web`);
  await editor.getByTestId('dicomweb-auth').selectOption('bearer');
  await expect(editor.getByTestId('dicomweb-secret-state')).toHaveText('No token stored.');
  await editor.getByTestId('dicomweb-secret').fill('not-the-token');
  await editor.getByTestId('dicomweb-save').click();
  await expect(editor.getByTestId('dicomweb-secret-state')).toHaveText(
    'Token stored in the OS keychain (never shown).',
  );
  // Never shown back: the field is empty again.
  await expect(editor.getByTestId('dicomweb-secret')).toHaveValue('');
  await expect(row.getByTestId('dicomweb-url-cell')).toHaveText(`${gateway.url}/dicom-web`);
  await editor.getByTestId('dicomweb-test').click();
  await expect(editor.getByTestId('dicomweb-status')).toContainText(
    'refused the credentials (HTTP 401)',
  );

  await editor.getByTestId('dicomweb-secret').fill(TOKEN);
  await editor.getByTestId('dicomweb-save').click();
  await expect(editor.getByTestId('dicomweb-status')).toContainText('Saved.');
  await editor.getByTestId('dicomweb-test').click();
  await expect(editor.getByTestId('dicomweb-status')).toContainText(
    'OK: answered a QIDO-RS search',
  );
  await page.screenshot({ path: '/tmp/dicomweb-settings.png', fullPage: true });

  // The settings carry the endpoint, never the token.
  const node = await rpc(request, 'dicom.node.get', {}, token);
  expect(JSON.stringify(node.body)).toContain('"auth":"bearer"');
  expect(JSON.stringify(node.body)).not.toContain(TOKEN);
});
