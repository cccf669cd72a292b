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

  /** Drops files on the drop zone as a file manager would (a DataTransfer with File objects). */
  async dropFiles(files: Array<{ name: string; bytes: number[]; type: string }>): Promise<void> {
    const transfer = await this.page.evaluateHandle((list) => {
      const data = new DataTransfer();
      for (const f of list)
        data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      return data;
    }, files);
    const zone = this.page.getByTestId('drop-zone');
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
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
