import { expect, test, type APIRequestContext } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';

test.describe.configure({ mode: 'serial' });

const NADIA = { username: 'nadia', password: 'scanner room four', displayName: 'Nadia Nurse' };
const NEW_PASSWORD = 'tumour board on friday';

/** This spec may run alone on a fresh data dir: it makes the administrator itself then. */
async function adminToken(request: APIRequestContext): Promise<string> {
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  return loginToken(request, ADMIN.username, ADMIN.password);
}

test('an administrator creates, changes, disables and resets accounts in the app', async ({
  page,
  request,
}) => {
  await adminToken(request);
  await new LoginPage(page).loginAs(ADMIN);
  const app = new AppPage(page);
  await page.getByTestId('nav-accounts').click();
  await expect(page.getByTestId('accounts-page')).toBeVisible();
  await expect(page.getByTestId(`user-row-${ADMIN.username}`)).toBeVisible();

  // The policy speaks while the password is typed; the button waits until it passes.
  await page.getByTestId('create-username').fill(NADIA.username);
  await page.getByTestId('create-display-name').fill(NADIA.displayName);
  await page.getByTestId('create-role').selectOption('technologist');
  await page.getByTestId('create-password-new').fill('nadia12345');
  await expect(page.getByTestId('create-password-problems')).toContainText(
    'Do not use the username',
  );
  await expect(page.getByTestId('create-user-save')).toBeDisabled();
  await page.getByTestId('create-password-new').fill(NADIA.password);
  await page.getByTestId('create-password-confirm').fill(NADIA.password);
  await page.getByTestId('create-user-save').click();
  await expect(page.getByTestId('accounts-notice')).toHaveText('Created nadia (Technologist).');
  await expect(page.getByTestId('user-status-nadia')).toHaveText('Active');

  await page.getByTestId('user-role-nadia').selectOption('annotator');
  await expect(page.getByTestId('accounts-notice')).toHaveText('nadia is now Annotator.');
  await page.getByTestId('user-toggle-nadia').click();
  await expect(page.getByTestId('user-status-nadia')).toHaveText('Disabled');
  await page.screenshot({ path: '/tmp/accounts-admin.png', fullPage: true });
  await page.getByTestId('user-toggle-nadia').click();
  await expect(page.getByTestId('user-status-nadia')).toHaveText('Active');

  await page.getByTestId('user-reset-nadia').click();
  await page.getByTestId('reset-nadia-new').fill('a reset password');
  await page.getByTestId('reset-nadia-confirm').fill('a reset password');
  await page.getByTestId('reset-nadia-save').click();
  await expect(page.getByTestId('accounts-notice')).toContainText("nadia's password was reset");
  await app.logout();

  // The reset password works; the role is the new one.
  const login = new LoginPage(page);
  await login.loginAs({ username: NADIA.username, password: 'a reset password' });
  await app.expectLoggedInAs(NADIA.displayName, 'annotator');
  await expect(page.getByTestId('nav-accounts')).toHaveCount(0);
});

test('a user changes their own password; failed logins are slowed down with a clear message', async ({
  page,
  request,
}) => {
  await new LoginPage(page).loginAs({ username: NADIA.username, password: 'a reset password' });
  await page.getByTestId('account-link').click();
  await expect(page.getByTestId('account-page')).toBeVisible();
  await page.getByTestId('own-password-current').fill('a reset password');
  await page.getByTestId('own-password-new').fill(NEW_PASSWORD);
  await page.getByTestId('own-password-confirm').fill(NEW_PASSWORD);
  await page.getByTestId('own-password-save').click();
  await expect(page.getByTestId('own-password-state')).toHaveText(
    'Password changed. Your sessions on other devices were ended.',
  );
  await page.screenshot({ path: '/tmp/accounts-own-password.png', fullPage: true });
  await new AppPage(page).logout();

  // Five wrong passwords are free; the sixth attempt must wait, even with the right password.
  for (let i = 0; i < 5; i += 1) {
    const wrong = await rpc(request, 'auth.login', { username: NADIA.username, password: 'nope' });
    expect(wrong.status).toBe(401);
  }
  const login = new LoginPage(page);
  await login.login(NADIA.username, NEW_PASSWORD);
  await expect(login.error).toContainText('Too many failed logins: wait');
  await page.screenshot({ path: '/tmp/accounts-throttled.png' });
  await page.waitForTimeout(1500);
  await login.login(NADIA.username, NEW_PASSWORD);
  await expect(page.getByTestId('app-header')).toBeVisible();
});

test('a patient account opens on its own record and cannot reach the lists', async ({
  page,
  request,
}) => {
  const token = await adminToken(request);
  const own = await rpc(request, 'patients.create', { name: 'Portal, Paula' }, token);
  const patientId = (own.body.value as { id: string }).id;
  const created = await rpc(
    request,
    'users.create',
    { username: 'paula', password: 'my own scans only', role: 'patient', patientId },
    token,
  );
  expect(created.body.ok).toBe(true);
  await new LoginPage(page).loginAs({ username: 'paula', password: 'my own scans only' });
  await expect(page.getByTestId('patient-title')).toHaveText('Portal, Paula');
  await expect(page).toHaveURL(new RegExp(`#/patients/${patientId}$`));
  await expect(page.getByTestId('nav-worklist')).toHaveCount(0);
  await expect(page.getByTestId('nav-patients')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/accounts-patient.png' });
  const patientToken = await loginToken(request, 'paula', 'my own scans only');
  const list = await rpc(request, 'patients.list', {}, patientToken);
  expect(list.status).toBe(403);
});
