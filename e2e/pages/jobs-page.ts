import { expect, type Locator, type Page } from '@playwright/test';

export class JobsPage {
  readonly rows: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('job-row');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/jobs');
    await expect(this.page.getByTestId('jobs-page')).toBeVisible();
  }

  job(id: string): Locator {
    return this.page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  }

  async expectStatus(id: string, status: string): Promise<void> {
    await expect(this.job(id)).toHaveAttribute('data-status', status);
  }
}
