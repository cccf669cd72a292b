import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, patientFields, validateDraft } from './patient-form-state.js';

describe('patient form', () => {
  it('needs a name and a sensible date of birth', () => {
    expect(validateDraft(EMPTY_DRAFT, '2024-03-01')).toEqual({ name: 'Enter the patient’s name.' });
    expect(
      validateDraft({ ...EMPTY_DRAFT, name: 'A', birthDate: '2030-01-01' }, '2024-03-01'),
    ).toEqual({
      birthDate: 'The date of birth is in the future.',
    });
    expect(
      validateDraft({ ...EMPTY_DRAFT, name: 'A', birthDate: '1970-01-31' }, '2024-03-01'),
    ).toEqual({});
  });

  it('sends trimmed values and null for empty optional fields', () => {
    expect(
      patientFields({ name: ' Doe, Jane ', mrn: ' ', birthDate: '', sex: '', notes: 'x' }),
    ).toEqual({
      name: 'Doe, Jane',
      mrn: null,
      birthDate: null,
      sex: null,
      notes: 'x',
    });
    expect(
      patientFields({ name: 'A', mrn: 'MRN-1', birthDate: '1970-01-31', sex: 'F', notes: '' }),
    ).toMatchObject({
      mrn: 'MRN-1',
      birthDate: '1970-01-31',
      sex: 'F',
    });
  });
});
