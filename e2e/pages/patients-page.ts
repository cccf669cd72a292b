import { expect, type Locator, type Page } from '@playwright/test';

export interface PatientInput {
  name: string;
  mrn: string;
  birthDate: string;
  sex: 'F' | 'M' | 'O';
  notes: string;
}

/** Patients list, the patient form and the detail page. */
export class PatientsPage {
  readonly rows: Locator;
  readonly search: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('patient-row');
    this.search = page.getByTestId('patients-search');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/patients');
    await expect(this.page.getByTestId('patients-page')).toBeVisible();
  }

  async fillForm(input: Partial<PatientInput>): Promise<void> {
    const form = this.page.getByTestId('patient-form');
    if (input.name !== undefined) await form.getByTestId('patient-name').fill(input.name);
    if (input.mrn !== undefined) await form.getByTestId('patient-mrn').fill(input.mrn);
    if (input.birthDate !== undefined)
      await form.getByTestId('patient-birth-date').fill(input.birthDate);
    if (input.sex !== undefined) await form.getByTestId('patient-sex').selectOption(input.sex);
    if (input.notes !== undefined) await form.getByTestId('patient-notes').fill(input.notes);
    await form.getByTestId('patient-save').click();
  }

  async create(input: PatientInput): Promise<void> {
    await this.page.getByTestId('patient-new').click();
    await this.fillForm(input);
    await expect(this.page.getByTestId('patient-title')).toHaveText(input.name);
  }

  async openByName(name: string): Promise<void> {
    await this.search.fill(name);
    await this.rows.filter({ hasText: name }).getByTestId('patient-open').click();
    await expect(this.page.getByTestId('patient-title')).toHaveText(name);
  }

  async deleteOpenPatient(): Promise<void> {
    await this.page.getByTestId('patient-delete').click();
    const dialog = this.page.getByTestId('confirm-delete-patient');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('confirm-delete-patient-confirm').click();
    await expect(this.page.getByTestId('patients-page')).toBeVisible();
  }
}
