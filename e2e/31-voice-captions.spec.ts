import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { synthesiseSpeech } from '../src-main/core/speech/testing/espeak.js';
import { encodeWebmOpus } from '../src-main/core/speech/testing/webm-opus-writer.js';
import { makeBinaryStl, TETRAHEDRON } from '../src-main/test-support/volume-fixtures.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';

// Runs on its own too: it sets up the administrator when this server has none yet.
test.describe.configure({ mode: 'serial' });

const SPOKEN = 'The implant in the upper jaw is well integrated with the bone.';
let caseId = '';
let webmPath = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(90_000);
  await rpc(request, 'auth.setup', ADMIN); // refused when the administrator exists: fine
  const admin = await loginToken(request, ADMIN.username, ADMIN.password);
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-voice-'));
  // The case's upper jaw, sent as the browser form does: an upload batch, then the case from it.
  const begin = await rpc(request, 'uploads.begin', {}, admin);
  if (!begin.body.ok) throw new Error(`uploads.begin: ${JSON.stringify(begin.body)}`);
  const batchId = (begin.body.value as { batchId: string }).batchId;
  const put = await request.put(
    `/api/stream/uploads.put?batchId=${batchId}&name=${encodeURIComponent('upper/upper.stl')}`,
    { headers: { Authorization: `Bearer ${admin}` }, data: makeBinaryStl(TETRAHEDRON) },
  );
  expect(put.status()).toBe(200);
  const created = await rpc(
    request,
    'dental.cases.createFromUpload',
    { batchId, name: `Voice ${Date.now()}` },
    admin,
  );
  if (!created.body.ok) throw new Error(`dental case: ${JSON.stringify(created.body)}`);
  caseId = (created.body.value as { id: string }).id;
  const speech = await synthesiseSpeech(SPOKEN);
  webmPath = join(dir, 'caption.webm');
  writeFileSync(webmPath, encodeWebmOpus(speech.samples, speech.sampleRate));
});

test('a WebM caption is uploaded, transcribed, edited and played back', async ({ page }) => {
  test.setTimeout(120_000);
  await new LoginPage(page).loginAs(ADMIN);
  await page.goto(`/#/dental/${caseId}`);
  await expect(page.getByTestId('voice-captions')).toBeVisible();
  await page.getByTestId('voice-caption-file').setInputFiles(webmPath);

  const item = page.getByTestId('voice-caption');
  await expect(item).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  const text = page.getByTestId('voice-caption-text');
  await expect(text).toHaveValue(/implant/i);
  await expect(page.getByTestId('voice-caption-meta')).toContainText('heard by Moonshine tiny');

  const edited = `${SPOKEN} Review in six months.`;
  await text.fill(edited);
  await page.getByTestId('voice-caption-save').click();
  await expect(page.getByTestId('voice-caption-meta')).toContainText('Edited 1 time');
  await expect(text).toHaveValue(edited);

  await page.getByTestId('voice-caption-play').click();
  const audio = page.getByTestId('voice-caption-audio');
  await expect(audio).toBeVisible();
  const duration = await audio.evaluate(
    (element: HTMLAudioElement) =>
      new Promise<number>((resolve) => {
        if (element.readyState >= 1) resolve(element.duration);
        else element.addEventListener('loadedmetadata', () => resolve(element.duration));
      }),
  );
  expect(Number.isNaN(duration)).toBe(false);
});
