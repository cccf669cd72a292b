import { expect, type Locator, type Page } from '@playwright/test';

/** The query/retrieve screen: search a PACS, retrieve what it lists, follow the retrieves. */
export class QueryPage {
  constructor(readonly page: Page) {}

  /** Opens the screen on one destination and searches one patient ID: the one study it finds. */
  async findPatientStudy(destinationId: string, patientId: string): Promise<Locator> {
    await this.page.goto('/#/query');
    await this.page.getByTestId('query-destination').selectOption(destinationId);
    await this.page.getByTestId('query-patient-id').fill(patientId);
    await this.page.getByTestId('query-search').click();
    const study = this.page.getByTestId('query-study');
    await expect(study).toHaveCount(1);
    return study;
  }

  /**
   * Retrieves `study` (listed by its patient's `shownName`, `instances` in all), cancels the
   * retrieve while it runs and checks that it says so and kept fewer than all.
   */
  async retrieveAndCancel(study: Locator, shownName: string, instances: number): Promise<void> {
    await study.getByTestId('query-retrieve').click();
    const task = this.page.getByTestId('retrieve').filter({ hasText: shownName });
    await expect(task).toHaveAttribute('data-state', 'running');
    await expect(task.getByTestId('retrieve-count')).toHaveText(
      new RegExp(`^\\d+ / ${instances} instances$`),
    );
    await task.getByTestId('retrieve-cancel').click();
    await expect(task).toHaveAttribute('data-state', 'cancelled');
    await expect(task).toContainText(/Cancelled after \d+ instances; those received are kept\./);
    const received = Number(
      /^(\d+)/.exec((await task.getByTestId('retrieve-count').textContent()) ?? '')?.[1],
    );
    expect(received).toBeLessThan(instances);
  }

  /**
   * Opens the latest retrieve's study in the worklist: one row for the patient (`shownName`),
   * which lists each of `seriesDescriptions` once.
   */
  async openLatestRetrieve(
    shownName: string,
    seriesDescriptions: readonly string[],
  ): Promise<void> {
    await this.page.getByTestId('retrieve').first().getByTestId('retrieve-open').click();
    await expect(this.page.getByTestId('worklist-page')).toBeVisible();
    const row = this.page.getByTestId('study-row').filter({ hasText: shownName });
    await expect(row).toHaveCount(1);
    await row.getByTestId('study-expand').click();
    for (const description of seriesDescriptions)
      await expect(
        this.page.getByTestId('series-row').filter({ hasText: description }),
      ).toHaveCount(1);
  }
}
