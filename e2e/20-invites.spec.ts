import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { AppPage } from './pages/app-page.js';
import { LoginPage } from './pages/auth-pages.js';
import { ADMIN } from './support/accounts.js';
import { loginToken, rpc } from './support/api.js';

test.describe.configure({ mode: 'serial' });

/** Invited accounts of this spec (their passwords pass the policy). */
const DORA = {
  username: 'dr-dora',
  password: 'rounds on ward seven',
  displayName: 'Dr Dora Doyle',
};
const PIA = { username: 'pia', password: 'my own scans please', displayName: 'Pia Patient' };

/** This spec may run alone on a fresh data dir: it makes the administrator itself then. */
async function adminToken(request: APIRequestContext): Promise<string> {
  const status = await rpc(request, 'auth.status', {});
  if ((status.body.value as { needsSetup: boolean }).needsSetup)
    await rpc(request, 'auth.setup', { ...ADMIN });
  return loginToken(request, ADMIN.username, ADMIN.password);
}

async function registerWithInvitation(
  page: Page,
  code: string,
  account: { username: string; password: string; displayName: string },
): Promise<void> {
  const login = new LoginPage(page);
  await login.goto();
  await page.getByTestId('login-register').click();
  await page.getByTestId('register-invitation').fill(code);
  await page.getByTestId('register-username').fill(account.username);
  await page.getByTestId('register-display-name').fill(account.displayName);
  await page.getByTestId('register-password-new').fill(account.password);
  await page.getByTestId('register-password-confirm').fill(account.password);
  await page.getByTestId('register-submit').click();
  await expect(login.notice).toHaveText(
    `Your account ${account.username} was created: log in with it.`,
  );
}

let patients: { mine: string; other: string };

test('an administrator invites a doctor, who registers and logs in with that role', async ({
  page,
  request,
}) => {
  const admin = await adminToken(request);
  const create = async (name: string) =>
    ((await rpc(request, 'patients.create', { name }, admin)).body.value as { id: string }).id;
  patients = { mine: await create('Invited, Pia'), other: await create('Stranger, Sam') };

  await new LoginPage(page).loginAs(ADMIN);
  const app = new AppPage(page);
  await page.getByTestId('nav-accounts').click();
  const panel = page.getByTestId('invitations');
  await expect(panel).toBeVisible();
  await page.getByTestId('invite-role').selectOption('doctor');
  await page.getByTestId('invite-expiry').selectOption(String(24 * 7));
  await page.getByTestId('invite-note').fill('Dr Doyle, neurology');
  await page.getByTestId('invite-create').click();
  const code = (await page.getByTestId('invite-code').textContent()) ?? '';
  expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
  const row = panel.getByRole('row', { name: /Dr Doyle, neurology/ });
  await expect(row.getByTestId('invitation-status')).toHaveText('Waiting');

  // A second invitation, revoked: it stays in the list as revoked.
  await page.getByTestId('invite-role').selectOption('viewer');
  await page.getByTestId('invite-note').fill('never mind');
  await page.getByTestId('invite-create').click();
  const revoked = panel.getByRole('row', { name: /never mind/ });
  await revoked.getByTestId('invitation-revoke').click();
  await expect(revoked.getByTestId('invitation-status')).toHaveText('Revoked');
  await panel.screenshot({ path: '/tmp/invites-panel.png' });
  await app.logout();

  await registerWithInvitation(page, code, DORA);
  // The same code a second time is refused with a clear message.
  await page.getByTestId('login-register').click();
  await page.getByTestId('register-invitation').fill(code);
  await page.getByTestId('register-username').fill('dr-again');
  await page.getByTestId('register-password-new').fill(DORA.password);
  await page.getByTestId('register-password-confirm').fill(DORA.password);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('register-form').getByTestId('error-message')).toContainText(
    'already used',
  );
  await page.screenshot({ path: '/tmp/invites-register.png', fullPage: true });
  await page.getByTestId('register-cancel').click();

  const login = new LoginPage(page);
  await login.login(DORA.username, DORA.password);
  await app.expectLoggedInAs(DORA.displayName, 'doctor');
  // A doctor's home is their patients, empty until a patient connects.
  await expect(page.getByTestId('my-patients-page')).toBeVisible();
  await expect(page.getByTestId('my-patients-empty')).toBeVisible();
  await expect(page.getByTestId('nav-worklist')).toHaveCount(0);
  await expect(page.getByTestId('nav-patients')).toHaveCount(0);
});

test('a doctor connects with a patient’s code and sees only that patient', async ({
  page,
  request,
}) => {
  const admin = await adminToken(request);
  const invitation = await rpc(
    request,
    'invitations.create',
    { role: 'patient', patientId: patients.mine },
    admin,
  );
  const { code } = invitation.body.value as { code: string };
  await registerWithInvitation(page, code, PIA);

  const login = new LoginPage(page);
  const app = new AppPage(page);
  await login.login(PIA.username, PIA.password);
  await app.expectLoggedInAs(PIA.displayName, 'patient');
  await page.getByTestId('nav-connect').click();
  await page.getByTestId('connect-code-create').click();
  const connectCode = (await page.getByTestId('connect-code').textContent()) ?? '';
  expect(connectCode).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
  await app.logout();

  await login.login(DORA.username, DORA.password);
  await expect(page.getByTestId('my-patients-page')).toBeVisible();
  await page.getByTestId('connect-code-input').fill(connectCode.toLowerCase());
  await page.getByTestId('connect-code-submit').click();
  await expect(page.getByTestId('my-patients-notice')).toHaveText(
    'Invited, Pia is now one of your patients.',
  );
  const table = page.getByTestId('my-patients-table');
  await expect(table.getByRole('link')).toHaveText(['Invited, Pia']);
  await page.screenshot({ path: '/tmp/invites-my-patients.png', fullPage: true });

  // A used code is refused.
  await page.getByTestId('connect-code-input').fill(connectCode);
  await page.getByTestId('connect-code-submit').click();
  await expect(page.getByTestId('enter-connect-code').getByTestId('error-message')).toContainText(
    'already used',
  );

  await table.getByRole('link', { name: 'Invited, Pia' }).click();
  await expect(page.getByTestId('patient-title')).toHaveText('Invited, Pia');
  // Another patient's page answers as if there were no such patient.
  await page.goto(`/#/patients/${patients.other}`);
  await expect(page.getByTestId('patient-missing')).toBeVisible();
  await expect(page.getByTestId('patient-title')).toHaveCount(0);
});
