import type { Patient } from '../../../../src-shared/contract/entities.js';
import type { MethodInput } from '../../../../src-shared/contract/methods.js';

/** The form's fields as typed (strings; empty means "not given"). */
export interface PatientDraft {
  readonly name: string;
  readonly mrn: string;
  readonly birthDate: string;
  readonly sex: '' | 'M' | 'F' | 'O';
  readonly notes: string;
}

export const EMPTY_DRAFT: PatientDraft = { name: '', mrn: '', birthDate: '', sex: '', notes: '' };

export function draftOf(patient: Patient): PatientDraft {
  return {
    name: patient.name,
    mrn: patient.mrn ?? '',
    birthDate: patient.birthDate ?? '',
    sex: patient.sex ?? '',
    notes: patient.notes,
  };
}

/** Problems per field, in words; empty when the draft can be saved. */
export function validateDraft(
  draft: PatientDraft,
  today: string,
): Partial<Record<keyof PatientDraft, string>> {
  const problems: Partial<Record<keyof PatientDraft, string>> = {};
  if (draft.name.trim() === '') problems.name = 'Enter the patient’s name.';
  if (draft.name.length > 200) problems.name = 'The name is longer than 200 characters.';
  if (draft.mrn.trim().length > 64) problems.mrn = 'The identifier is longer than 64 characters.';
  if (draft.birthDate !== '') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.birthDate))
      problems.birthDate = 'Use a date like 1970-01-31.';
    else if (draft.birthDate > today) problems.birthDate = 'The date of birth is in the future.';
    else if (draft.birthDate < '1880-01-01')
      problems.birthDate = 'The date of birth is too far in the past.';
  }
  if (draft.notes.length > 10_000) problems.notes = 'Notes are limited to 10,000 characters.';
  return problems;
}

/** The fields to send; empty optional fields are sent as null so an edit can clear them. */
export function patientFields(draft: PatientDraft): MethodInput<'patients.create'> {
  const mrn = draft.mrn.trim();
  return {
    name: draft.name.trim(),
    mrn: mrn === '' ? null : mrn,
    birthDate: draft.birthDate === '' ? null : draft.birthDate,
    sex: draft.sex === '' ? null : draft.sex,
    notes: draft.notes,
  };
}
