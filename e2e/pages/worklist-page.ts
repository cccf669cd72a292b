import { expect, type Locator, type Page } from '@playwright/test';

/** The worklist: filters, study rows with their series, thumbnails, paging. */
export class WorklistPage {
  /** One row per study. */
  readonly rows: Locator;
  /** The series rows of expanded studies. */
  readonly seriesRows: Locator;
  readonly search: Locator;
  readonly modalityFilter: Locator;
  readonly resultFilter: Locator;
  readonly empty: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('study-row');
    this.seriesRows = page.getByTestId('series-row');
    this.search = page.getByTestId('worklist-search');
    this.modalityFilter = page.getByTestId('worklist-modality-filter');
    this.resultFilter = page.getByTestId('worklist-result-filter');
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

  async expand(row: Locator): Promise<void> {
    await row.getByTestId('study-expand').click();
    await expect(row).toHaveAttribute('aria-expanded', 'true');
  }

  async expectThumbnailDrawn(row: Locator): Promise<void> {
    await expect(row.getByTestId('scan-thumbnail')).toHaveAttribute('data-state', 'ready');
  }

  /** Finds the study by a search (it may be on another page) and opens it (its preferred series). */
  async open(text: string): Promise<void> {
    await this.search.fill(text);
    await expect(this.rows).toHaveCount(1);
    await this.row(text).getByTestId('scan-open').click();
    await expect(this.page.getByTestId('scan-detail-page')).toBeVisible();
  }
}
