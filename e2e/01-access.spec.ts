import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage, SetupPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { saveScreen } from './support/screens.js';

// The server starts on an empty data dir: this file runs first and creates the administrator.
test.describe.configure({ mode: 'serial' });

test('first run: create the administrator and land on the empty worklist', async ({
  page,
  request,
}) => {
  const health = await request.get('/api/health');
  expect(await health.json()).toMatchObject({ status: 'healthy', database: { status: 'ok' } });

  await page.goto('/');
  const setup = new SetupPage(page);
  await expect(setup.form).toBeVisible();
  await saveScreen(page, 'setup');
  await setup.createAdmin(ADMIN);

  const app = new AppPage(page);
  await app.expectLoggedInAs(ADMIN.displayName, 'admin');
  await expect(page.getByTestId('worklist-empty')).toContainText('No scans yet');
  // Every page is reachable for the administrator.
  for (const target of ['dashboard', 'worklist', 'patients', 'import', 'jobs', 'settings'] as const)
    await expect(app.navLink(target)).toBeVisible();
});

test('log out, refuse a wrong password, log in again', async ({ page }) => {
  const login = new LoginPage(page);
  await login.loginAs(ADMIN);
  const app = new AppPage(page);
  await app.logout();

  await login.login(ADMIN.username, 'not-the-password');
  await expect(login.error).toContainText(/wrong|incorrect|invalid/i);
  await saveScreen(page, 'login');
  await login.login(ADMIN.username, ADMIN.password);
  await app.expectLoggedInAs(ADMIN.displayName, 'admin');
});

test('logs off automatically after 30 minutes without activity, warning first', async ({
  page,
}) => {
  await page.clock.install();
  const login = new LoginPage(page);
  await login.loginAs(ADMIN);

  await page.clock.fastForward('29:10');
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible();
  // Activity keeps the session.
  await page.mouse.move(200, 300);
  await page.clock.runFor(2_000);
  await expect(warning).toBeHidden();

  await page.clock.fastForward('30:30');
  await expect(login.form).toBeVisible();
  await expect(login.notice).toContainText('without activity');
});
