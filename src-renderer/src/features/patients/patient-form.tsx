import { useState, type FormEvent } from 'react';
import type { Patient } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import {
  draftOf,
  EMPTY_DRAFT,
  patientFields,
  validateDraft,
  type PatientDraft,
} from './patient-form-state.js';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Create or edit a patient: name, date of birth, sex, identifier and notes. */
export function PatientForm({
  patient,
  lockedMrnReason = null,
  onSaved,
  onCancel,
}: {
  patient: Patient | null;
  /** Why the Patient ID cannot be changed here (a DICOM patient's), or null when it can. */
  lockedMrnReason?: string | null;
  onSaved: (patient: Patient) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const [draft, setDraft] = useState<PatientDraft>(
    patient === null ? EMPTY_DRAFT : draftOf(patient),
  );
  const [showProblems, setShowProblems] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const problems = validateDraft(draft, today());
  const set = (change: Partial<PatientDraft>): void =>
    setDraft((current) => ({ ...current, ...change }));

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setShowProblems(true);
    if (Object.keys(problems).length > 0) return;
    setIsBusy(true);
    setError(null);
    try {
      const fields = patientFields(draft);
      const saved =
        patient === null
          ? await api.call('patients.create', fields)
          : await api.call('patients.update', { id: patient.id, ...fields });
      onSaved(saved);
    } catch (failure) {
      setError(errorMessage(failure));
      setIsBusy(false);
    }
  }

  const problem = (field: keyof PatientDraft) =>
    showProblems && problems[field] !== undefined ? (
      <span className="field-problem" role="alert">
        {problems[field]}
      </span>
    ) : null;

  return (
    <form
      className="panel patient-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="patient-form"
    >
      <h3>{patient === null ? 'New patient' : `Edit ${patient.name}`}</h3>
      <div className="form-grid">
        <label className="field wide">
          <span>Name (family, given)</span>
          <input
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            autoFocus
            data-testid="patient-name"
          />
          {problem('name')}
        </label>
        <label className="field">
          <span>Patient ID (MRN)</span>
          <input
            value={draft.mrn}
            onChange={(e) => set({ mrn: e.target.value })}
            readOnly={lockedMrnReason !== null}
            aria-describedby={lockedMrnReason === null ? undefined : 'patient-mrn-locked'}
            data-testid="patient-mrn"
          />
          {lockedMrnReason !== null && (
            <span className="muted" id="patient-mrn-locked" data-testid="patient-mrn-locked">
              {lockedMrnReason}
            </span>
          )}
          {problem('mrn')}
        </label>
        <label className="field">
          <span>Date of birth</span>
          <input
            type="date"
            value={draft.birthDate}
            max={today()}
            onChange={(e) => set({ birthDate: e.target.value })}
            data-testid="patient-birth-date"
          />
          {problem('birthDate')}
        </label>
        <label className="field">
          <span>Sex</span>
          <select
            value={draft.sex}
            onChange={(e) => set({ sex: e.target.value as PatientDraft['sex'] })}
            data-testid="patient-sex"
          >
            <option value="">Not recorded</option>
            <option value="F">Female</option>
            <option value="M">Male</option>
            <option value="O">Other</option>
          </select>
        </label>
        <label className="field wide">
          <span>Notes</span>
          <textarea
            rows={3}
            value={draft.notes}
            onChange={(e) => set({ notes: e.target.value })}
            data-testid="patient-notes"
          />
          {problem('notes')}
        </label>
      </div>
      <ErrorMessage message={error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button primary"
          disabled={isBusy}
          data-testid="patient-save"
        >
          {isBusy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
