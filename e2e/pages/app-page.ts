import { expect, type Locator, type Page } from '@playwright/test';

export type NavTarget = 'dashboard' | 'worklist' | 'patients' | 'import' | 'jobs' | 'settings';

/** The logged-in frame: header, navigation, user and role, logout. */
export class AppPage {
  readonly header: Locator;
  readonly role: Locator;
  readonly user: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByTestId('app-header');
    this.role = page.getByTestId('current-role');
    this.user = page.getByTestId('current-user');
  }

  navLink(target: NavTarget): Locator {
    return this.page.getByTestId(`nav-${target}`);
  }

  async open(target: NavTarget): Promise<void> {
    await this.navLink(target).click();
    await expect(this.page.getByTestId(`page-${target}`)).toBeVisible();
  }

  async expectLoggedInAs(displayName: string, role: string): Promise<void> {
    await expect(this.user).toHaveText(displayName);
    await expect(this.role).toHaveAttribute('data-role', role);
  }

  async logout(): Promise<void> {
    await this.page.getByTestId('logout-button').click();
    await expect(this.page.getByTestId('login-form')).toBeVisible();
  }
}
