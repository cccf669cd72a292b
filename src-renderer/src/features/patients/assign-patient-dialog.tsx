import { useEffect, useRef, useState } from 'react';
import type { Patient, Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { PatientForm } from './patient-form.js';

const SEARCH_PAUSE_MS = 250;

/**
 * Assigns a scan to a patient: search the patients and pick one, or create a new one. A DICOM
 * series moves with its whole study (a study belongs to one patient); a NIfTI volume or a picture
 * moves alone. The core writes the change with an audit entry naming both patients.
 */
export function AssignPatientDialog({
  scan,
  onAssigned,
  onCancel,
}: {
  scan: Pick<Scan, 'id' | 'studyId' | 'patientId' | 'patientName'>;
  onAssigned: (patient: Patient) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [isCreating, setIsCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const found = useAsync(() => api.call('patients.list', { search, limit: 20 }), [api, search]);
  const wholeStudy = scan.studyId !== null;

  // Searched once typing pauses: each search is an audited read of the patient list.
  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(typed), SEARCH_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);

  async function assign(patient: Patient): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      await api.call('scans.assignPatient', {
        scanId: scan.id,
        patientId: patient.id,
        scope: wholeStudy ? 'study' : 'scan',
      });
      onAssigned(patient);
    } catch (failure) {
      setError(errorMessage(failure));
      setIsBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="assign-patient-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="assign-patient"
    >
      <h2 id="assign-patient-title">
        {scan.patientId === null ? 'Assign to a patient' : 'Assign to another patient'}
      </h2>
      <div className="dialog-body">
        <p className="muted">
          Now: {scan.patientName ?? 'Unknown patient'}.{' '}
          {wholeStudy
            ? 'The whole study moves, with all its series: a study belongs to one patient.'
            : 'This scan moves alone.'}{' '}
          The change is recorded in the audit log.
        </p>
        {isCreating ? (
          <PatientForm
            patient={null}
            onCancel={() => setIsCreating(false)}
            onSaved={(patient) => void assign(patient)}
          />
        ) : (
          <>
            <label className="field">
              <span>Find a patient (name or patient ID)</span>
              <input
                type="search"
                value={typed}
                autoFocus
                onChange={(e) => setTyped(e.target.value)}
                data-testid="assign-patient-search"
              />
            </label>
            <ErrorMessage message={found.error} />
            <ul className="assign-patient-results" data-testid="assign-patient-results">
              {(found.data?.items ?? []).map((patient) => (
                <li key={patient.id} data-testid="assign-patient-result">
                  <span>
                    <strong>{patient.name}</strong>
                    <span className="muted">
                      {' '}
                      · {patient.mrn ?? 'no patient ID'} · {formatDate(patient.birthDate)}
                    </span>
                  </span>
                  <button
                    type="button"
                    className="button small"
                    disabled={isBusy || patient.id === scan.patientId}
                    onClick={() => void assign(patient)}
                    data-testid="assign-patient-choose"
                  >
                    {patient.id === scan.patientId ? 'Current' : 'Assign'}
                  </button>
                </li>
              ))}
              {found.data !== undefined && found.data.items.length === 0 && (
                <li className="muted">
                  {search.trim() === ''
                    ? 'No patients yet: create one with “New patient…”.'
                    : 'No patient matches.'}
                </li>
              )}
            </ul>
          </>
        )}
        <ErrorMessage message={error} />
      </div>
      {!isCreating && (
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => setIsCreating(true)}
            data-testid="assign-patient-new"
          >
            New patient…
          </button>
        </div>
      )}
    </dialog>
  );
}
