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
  }
}
