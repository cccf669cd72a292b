import { expect, type Locator, type Page } from '@playwright/test';

export interface SummaryCounts {
  imported: number;
  duplicates: number;
  rejected: number;
}

/** Import: pickers, progress of the upload and of the import job, the summary. */
export class ImportPage {
  readonly fileInput: Locator;
  readonly folderInput: Locator;
  readonly jobProgress: Locator;
  readonly summary: Locator;
  readonly cancelButton: Locator;

  constructor(readonly page: Page) {
    this.fileInput = page.getByTestId('import-file-input');
    this.folderInput = page.getByTestId('import-folder-input');
    this.jobProgress = page.getByTestId('import-job-progress');
    this.summary = page.getByTestId('import-summary');
    this.cancelButton = page.getByTestId('import-cancel');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/import');
    await expect(this.page.getByTestId('drop-zone')).toBeVisible();
  }

  async chooseFiles(paths: string[]): Promise<void> {
    await this.fileInput.setInputFiles(paths);
  }

  async chooseFolder(path: string): Promise<void> {
    await this.folderInput.setInputFiles(path);
  }

  async expectSummary(status: string, counts: Partial<SummaryCounts>): Promise<void> {
    await expect(this.summary).toHaveAttribute('data-status', status, { timeout: 60_000 });
    for (const [key, value] of Object.entries(counts))
      await expect(this.summary.getByTestId(`summary-${key}`).locator('dd')).toHaveText(
        String(value),
      );
  }

  async importMore(): Promise<void> {
    await this.page.getByTestId('import-more').click();
    await expect(this.page.getByTestId('drop-zone')).toBeVisible();
  }
}
