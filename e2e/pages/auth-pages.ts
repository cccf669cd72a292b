import { expect, type Locator, type Page } from '@playwright/test';

/** First run: create the administrator. */
export class SetupPage {
  readonly form: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByTestId('setup-form');
  }

  async createAdmin(account: {
    username: string;
    password: string;
    displayName: string;
  }): Promise<void> {
    await expect(this.form).toBeVisible();
    await this.page.getByTestId('setup-username').fill(account.username);
    await this.page.getByTestId('setup-display-name').fill(account.displayName);
    await this.page.getByTestId('setup-password').fill(account.password);
    await this.page.getByTestId('setup-password-confirm').fill(account.password);
    await this.page.getByTestId('setup-submit').click();
    // The first-run wizard opens for the new administrator: go through it to the app.
    await expect(this.page.getByTestId('app-header')).toBeVisible();
    await new FirstRunWizard(this.page).finishIfOpen();
  }
}

/**
 * The first-run wizard an administrator sees after login until it is finished (once per site).
 * Specs that are not about it go through its steps with Next and Finish, changing nothing.
 */
export class FirstRunWizard {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('first-run');
  }

  /** The gate decides before the app shows, so the wizard is there with the header or never. */
  async finishIfOpen(): Promise<void> {
    if (!(await this.root.isVisible())) return;
    await this.finish();
  }

  async finish(): Promise<void> {
    const next = this.page.getByTestId('first-run-next');
    while (await next.isVisible()) await next.click();
    await this.page.getByTestId('first-run-finish').click();
    await expect(this.root).toHaveCount(0);
  }
}

export class LoginPage {
  readonly form: Locator;
  readonly notice: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByTestId('login-form');
    this.notice = page.getByTestId('login-notice');
    this.error = this.form.getByTestId('error-message');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.form).toBeVisible();
  }

  async login(username: string, password: string): Promise<void> {
    await this.page.getByTestId('login-username').fill(username);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
  }

  /** Opens the app and logs in; waits until the header shows the user. */
  async loginAs(account: { username: string; password: string }): Promise<void> {
    await this.goto();
    await this.login(account.username, account.password);
    await expect(this.page.getByTestId('app-header')).toBeVisible();
    await new FirstRunWizard(this.page).finishIfOpen();
  }
}
