import { expect, type Locator, type Page } from '@playwright/test';

/** The worklist: filters, rows, thumbnails, paging. */
export class WorklistPage {
  readonly rows: Locator;
  readonly search: Locator;
  readonly empty: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('scan-row');
    this.search = page.getByTestId('worklist-search');
    this.empty = page.getByTestId('worklist-empty');
    this.summary = page.getByTestId('worklist-pager-summary');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/worklist');
    await expect(this.page.getByTestId('worklist-page')).toBeVisible();
  }

  row(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }

  async expectThumbnailDrawn(row: Locator): Promise<void> {
    await expect(row.getByTestId('scan-thumbnail')).toHaveAttribute('data-state', 'ready');
  }

  /** Finds the scan by a search (it may be on another page) and opens it. */
  async open(text: string): Promise<void> {
    await this.search.fill(text);
    await expect(this.rows).toHaveCount(1);
    await this.row(text).getByTestId('scan-open').click();
    await expect(this.page.getByTestId('scan-detail-page')).toBeVisible();
  }
}
