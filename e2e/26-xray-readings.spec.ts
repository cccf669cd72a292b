import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chestPixel } from '../src-main/test-support/chest-fixtures.js';
import { makePng } from '../src-main/test-support/image-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { saveScreen } from './support/screens.js';
import {
  allowImportFrom,
  importServerPaths,
  loginToken,
  rpc,
  sessionTokenOf,
} from './support/api.js';

test.describe.configure({ mode: 'serial' });

interface JobView {
  id: string;
  status: string;
  priority: string;
  startedAt: string | null;
}

const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-xray-'));
let scanId = '';

/**
 * A real pneumonia radiograph from the shared data set (NEUROSPHERE_SHARED_DATA, else
 * ../shared/data beside the checkout; read in place, never copied into the repo). Where this
 * machine lacks it, the generated chest radiograph: the chest model reads it too, with
 * whichever label it gives, so the test still proves a real reading with its suggestions.
 */
const REAL_XRAY = join(
  process.env['NEUROSPHERE_SHARED_DATA'] ?? join(import.meta.dirname, '..', '..', 'shared', 'data'),
  'chest-xray-pneumonia-224',
  'PNEUMONIA',
  'person1000_bacteria_2931.jpeg',
);
const isReal = existsSync(REAL_XRAY);

/** The generated frontal chest radiograph (test-support/chest-fixtures.ts) as a PNG. */
function generatedRadiograph(): Buffer {
  const pixel = chestPixel(512, 512, 255);
  return makePng(512, 512, (x, y) => pixel(y, x));
}

/** Many distinct small pictures: an import of them keeps a job slot busy for a while. */
function manyPictures(name: string, count: number): string[] {
  const folder = join(dir, name);
  mkdirSync(folder);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(folder, `p${i}.png`);
    writeFileSync(
      path,
      makePng(16, 16, (x, y) => (x * 16 + y + i * 7 + name.length) % 256),
    );
    paths.push(path);
  }
  return paths;
}

test.beforeAll(async ({ request }) => {
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  const token = await loginToken(request, ADMIN.username, ADMIN.password);
  let path = REAL_XRAY;
  if (!isReal) {
    path = join(dir, 'chest-pa.png');
    writeFileSync(path, generatedRadiograph());
  }
  scanId = await importServerPaths(request, token, [path]);
});

test('an expert HIGH reading overtakes waiting LOW work; the friendly reading and suggestions show with their disclaimer', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await new LoginPage(page).loginAs(ADMIN);
  const token = await sessionTokenOf(page);

  // Two long imports fill both job slots; three LOW readings then wait behind them.
  const busy = [manyPictures('busy-a', 3000), manyPictures('busy-b', 3000)];
  await allowImportFrom(
    request,
    busy.map((paths) => paths[0] as string),
  );
  const blockers: string[] = [];
  for (const paths of busy) {
    const started = await rpc(request, 'import.files', { paths }, token);
    blockers.push((started.body.value as { id: string }).id);
  }
  const lows: string[] = [];
  for (let i = 0; i < 3; i++) {
    const requested = await rpc(
      request,
      'readings.request',
      { scanId, kind: 'friendly', priority: 'LOW' },
      token,
    );
    expect(requested.body.ok, JSON.stringify(requested.body.error)).toBe(true);
    lows.push((requested.body.value as { reading: { id: string } }).reading.id);
  }
  for (const id of lows)
    expect(((await rpc(request, 'jobs.get', { id }, token)).body.value as JobView).status).toBe(
      'pending',
    );

  // The radiologist asks for an expert reading with HIGH priority on the scan's page.
  await page.goto(`/#/scans/${scanId}`);
  const panel = page.getByTestId('readings-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('reading-priority').selectOption('HIGH');
  await panel.getByTestId('reading-notes').fill('Short of breath since yesterday.');
  await panel.getByTestId('request-expert-reading').click();
  const expert = panel.locator('[data-testid="reading"][data-kind="expert"]');
  await expect(expert).toHaveAttribute('data-status', 'pending');
  const highId = (await expert.getAttribute('data-reading-id')) as string;

  // The jobs view shows the priorities of the waiting work.
  await page.goto('/#/jobs');
  await expect(page.locator(`[data-job-id="${highId}"]`).getByTestId('job-priority')).toHaveText(
    'High',
  );
  await expect(page.locator(`[data-job-id="${lows[0]}"]`).getByTestId('job-priority')).toHaveText(
    'Low',
  );

  // The slots free up: the HIGH reading runs first, before the LOW ones that waited longer.
  for (const id of blockers) await rpc(request, 'jobs.cancel', { id }, token);
  await page.goto(`/#/scans/${scanId}`);
  await expect(panel.locator(`[data-reading-id="${highId}"]`)).toHaveAttribute(
    'data-status',
    'completed',
    { timeout: 60_000 },
  );
  await expect
    .poll(
      async () => {
        const jobs = await Promise.all(
          lows.map(
            async (id) => (await rpc(request, 'jobs.get', { id }, token)).body.value as JobView,
          ),
        );
        return jobs.every((job) => job.status === 'completed');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const high = (await rpc(request, 'jobs.get', { id: highId }, token)).body.value as JobView;
  expect(high.priority).toBe('HIGH');
  for (const id of lows) {
    const low = (await rpc(request, 'jobs.get', { id }, token)).body.value as JobView;
    expect(low.priority).toBe('LOW');
    expect(high.startedAt! <= low.startedAt!, `HIGH before LOW ${id}`).toBe(true);
  }

  // The expert reading: the chest model's real finding, its probability, the notes and the
  // priority; the suggestions from the table, each with its source, and the disclaimer.
  const done = panel.locator(`[data-reading-id="${highId}"]`);
  await expect(done.getByTestId('expert-statement')).toHaveText(
    isReal ? /^Pneumonia suggested/ : /^(Pneumonia suggested|No pneumonia seen)/,
  );
  await expect(done.getByTestId('expert-probability')).toHaveText(/^(> 99%|< 1%|\d+%)/);
  await expect(done.getByTestId('expert-notes')).toHaveText('Short of breath since yesterday.');
  const suggestions = done.getByTestId('suggestion');
  await expect(suggestions.first()).toBeVisible();
  if (isReal) await expect(suggestions.first()).toContainText('Community-acquired pneumonia');
  for (let i = 0; i < (await suggestions.count()); i++)
    await expect(suggestions.nth(i).getByTestId('suggestion-source')).toContainText(/Source: .+\S/);
  await expect(done.getByTestId('suggestions-disclaimer')).toContainText('A clinician decides');
  // The expert reading is the figures and the notes, not the patient's wording.
  await expect(done.getByTestId('friendly-reading')).toHaveCount(0);
  await done.getByTestId('expert-statement').scrollIntoViewIfNeeded();
  await saveScreen(page, 'xray-reading-expert-high');
  await done.getByTestId('reading-suggestions').scrollIntoViewIfNeeded();
  await saveScreen(page, 'xray-reading-suggestions');

  // A friendly reading: plain words, what it does not mean, and the doctor will discuss it.
  await panel.getByTestId('request-friendly-reading').click();
  const friendly = panel.locator('[data-testid="reading"][data-kind="friendly"]').first();
  await expect(friendly).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(friendly.getByTestId('friendly-headline')).toHaveText(
    isReal
      ? 'The program found signs that can be seen with pneumonia (a chest infection).'
      : /^The program (found signs|did not find signs)/,
  );
  await expect(friendly.getByTestId('friendly-next-step')).toContainText(
    'Your doctor will discuss this result with you',
  );
  await expect(friendly.getByTestId('friendly-not-meaning')).toContainText('not a diagnosis');
  await expect(friendly.getByTestId('reading-suggestions')).toContainText('A clinician decides');
  await friendly.scrollIntoViewIfNeeded();
  await saveScreen(page, 'xray-reading-friendly');

  // The analysis result panel of the same radiograph: the chest finding, never brain findings.
  await expect(page.getByTestId('analysis-verdict')).toHaveText(
    isReal ? /^Pneumonia suggested/ : /^(Pneumonia suggested|No pneumonia seen)/,
  );
  await expect(page.getByText(/lesion|hemisphere|tumou?r/i)).toHaveCount(0);
  await page.getByTestId('analysis-verdict').scrollIntoViewIfNeeded();
  await saveScreen(page, 'xray-result-panel');
});

test('a technologist sees the readings without the suggestions block', async ({
  browser,
  request,
}) => {
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const account = { username: 'tess-xray', password: 'technologist-password-1' };
  const created = await rpc(
    request,
    'users.create',
    { ...account, role: 'technologist', displayName: 'Tess Technologist' },
    admin,
  );
  expect(created.body.ok, JSON.stringify(created.body.error)).toBe(true);
  const page = await browser.newPage();
  await new LoginPage(page).loginAs(account);
  await page.goto(`/#/scans/${scanId}`);
  const expert = page.locator('[data-testid="reading"][data-kind="expert"]').first();
  await expect(expert).toHaveAttribute('data-status', 'completed');
  await expect(expert.getByTestId('expert-notes')).toHaveText('Short of breath since yesterday.');
  await expect(page.getByTestId('friendly-reading').first()).toBeAttached();
  await expect(page.getByTestId('reading-suggestions')).toHaveCount(0);
  await page.close();
});

test('a doctor asks for an expert reading of their patient’s X-ray; the patient only for a friendly one, without figures or suggestions', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const patient = await rpc(request, 'patients.create', { name: 'Chest, Charlie' }, admin);
  expect(patient.body.ok, JSON.stringify(patient.body.error)).toBe(true);
  const patientId = (patient.body.value as { id: string }).id;
  const assigned = await rpc(request, 'scans.assignPatient', { scanId, patientId }, admin);
  expect(assigned.body.ok, JSON.stringify(assigned.body.error)).toBe(true);
  const doctorAccount = { username: 'dr-chest', password: 'doctor-password-123' };
  const patientAccount = { username: 'charlie-chest', password: 'patient-password-123' };
  const doctor = await rpc(
    request,
    'users.create',
    { ...doctorAccount, role: 'doctor', displayName: 'Dr. Dora Chest' },
    admin,
  );
  expect(doctor.body.ok, JSON.stringify(doctor.body.error)).toBe(true);
  const linked = await rpc(
    request,
    'careTeam.assign',
    { doctorId: (doctor.body.value as { id: string }).id, patientId },
    admin,
  );
  expect(linked.body.ok, JSON.stringify(linked.body.error)).toBe(true);
  const created = await rpc(
    request,
    'users.create',
    { ...patientAccount, role: 'patient', displayName: 'Charlie Chest', patientId },
    admin,
  );
  expect(created.body.ok, JSON.stringify(created.body.error)).toBe(true);

  // The doctor: the expert reading of a care-team patient's X-ray, with its suggestions.
  const doctorPage = await browser.newPage();
  await new LoginPage(doctorPage).loginAs(doctorAccount);
  await doctorPage.goto(`/#/scans/${scanId}`);
  const doctorPanel = doctorPage.getByTestId('readings-panel');
  await doctorPanel.getByTestId('reading-notes').fill('Fever and cough for 3 days.');
  await doctorPanel.getByTestId('request-expert-reading').click();
  const asked = doctorPanel.locator('[data-testid="reading"][data-kind="expert"]').first();
  await expect(asked.getByTestId('expert-notes')).toHaveText('Fever and cough for 3 days.', {
    timeout: 60_000,
  });
  await expect(asked).toHaveAttribute('data-status', 'completed');
  await expect(asked.getByTestId('suggestions-disclaimer')).toContainText('A clinician decides');
  await doctorPage.close();

  // The patient: only the friendly reading can be asked for; no figures, no suggestions.
  const patientPage = await browser.newPage();
  await new LoginPage(patientPage).loginAs(patientAccount);
  await patientPage.goto(`/#/scans/${scanId}`);
  const panel = patientPage.getByTestId('readings-panel');
  await expect(panel.getByTestId('request-friendly-reading')).toBeVisible();
  await expect(panel.getByTestId('request-expert-reading')).toHaveCount(0);
  await expect(panel.getByTestId('reading-priority')).toHaveCount(0);
  // The scan's earlier readings have loaded (the clinicians' ones above) before counting.
  await expect(panel.getByTestId('readings')).toBeVisible();
  const before = await panel.locator('[data-testid="reading"][data-kind="friendly"]').count();
  await panel.getByTestId('request-friendly-reading').click();
  const friendly = panel.locator('[data-testid="reading"][data-kind="friendly"]');
  await expect(friendly).toHaveCount(before + 1);
  await expect(friendly.first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(friendly.first().getByTestId('friendly-next-step')).toContainText(
    'Your doctor will discuss this result with you',
  );
  await expect(patientPage.getByTestId('expert-reading')).toHaveCount(0);
  // Nor in the result panel: the plain words instead of the model's probabilities.
  await expect(patientPage.getByTestId('analysis-for-patient')).toBeVisible();
  await expect(patientPage.getByTestId('analysis-probabilities')).toHaveCount(0);
  await expect(patientPage.getByTestId('reading-suggestions')).toHaveCount(0);
  await saveScreen(patientPage, 'xray-reading-patient');
  await patientPage.close();
});
