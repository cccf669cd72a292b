import { expect, test } from '@playwright/test';

// The thinnest end-to-end proof that serve mode, the built renderer and Chromium work together:
// a fresh install shows first-run setup, creating the admin logs in and shows the worklist.
test('first run: create the admin account and land on an empty worklist', async ({
  page,
  request,
}) => {
  const health = await request.get('/api/health');
  expect(health.ok()).toBe(true);
  expect(await health.json()).toMatchObject({ status: 'healthy', database: { status: 'ok' } });

  await page.goto('/');
  await expect(page.getByTestId('setup-form')).toBeVisible();
  await page.getByTestId('setup-username').fill('admin');
  await page.getByTestId('setup-password').fill('correct-horse-battery');
  await page.getByTestId('setup-password-confirm').fill('correct-horse-battery');
  await page.getByTestId('setup-submit').click();

  await expect(page.getByTestId('current-role')).toHaveAttribute('data-role', 'admin');
  await expect(page.getByTestId('worklist-empty')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/smoke-worklist.png' });
});
