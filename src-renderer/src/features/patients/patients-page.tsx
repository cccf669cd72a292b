import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { useDebounced } from '../../app/use-debounced.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ageOn, formatDate, sexLabel } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { PatientForm } from './patient-form.js';

/** Patients: search, paging, and a new patient form for roles that may write. */
export function PatientsPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const canWrite = useCan('patients.write');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [page, setPage] = useState(1);
  const [limit, setLimit] = useState(25);
  const [isCreating, setIsCreating] = useState(false);
  const patients = useAsync(
    () => api.call('patients.list', { page, limit, ...(search !== '' && { search }) }),
    [api, page, limit, search],
  );
  useEventRefresh(['scans.changed'], patients.reload);
  const result = patients.data;
  const today = new Date();

  return (
    <section className="page-section" data-testid="patients-page" aria-labelledby="patients-title">
      <div className="toolbar">
        <h2 id="patients-title">Patients</h2>
        <label className="inline-field grow">
          <span className="visually-hidden">Search patients</span>
          <input
            type="search"
            placeholder="Search name or patient ID"
            value={searchText}
            onChange={(e) => {
              setSearchText(e.target.value);
              setPage(1);
            }}
            data-testid="patients-search"
          />
        </label>
        <span className="spacer" />
        {canWrite && !isCreating && (
          <button
            type="button"
            className="button primary"
            onClick={() => setIsCreating(true)}
            data-testid="patient-new"
          >
            New patient
          </button>
        )}
      </div>
      {isCreating && (
        <PatientForm
          patient={null}
          onCancel={() => setIsCreating(false)}
          onSaved={(patient) => navigate({ page: 'patient', id: patient.id })}
        />
      )}
      <ErrorMessage message={patients.error} />
      {result === undefined && patients.error === null && (
        <div className="table-placeholder">Loading patients…</div>
      )}
      {result !== undefined && result.items.length === 0 && (
        <EmptyState
          title={search === '' ? 'No patients yet.' : 'No patient matches this search.'}
          testId="patients-empty"
        >
          {search === ''
            ? 'Patients are created when DICOM studies are imported, or by hand with New patient.'
            : 'Check the spelling, or search by the patient ID.'}
        </EmptyState>
      )}
      {result !== undefined && result.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="patients-table" aria-busy={patients.isLoading}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Patient ID</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Sex</th>
                <th scope="col">Studies</th>
                <th scope="col">Scans</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((patient) => {
                const age = ageOn(patient.birthDate, today);
                return (
                  <tr key={patient.id} data-testid="patient-row" data-patient-id={patient.id}>
                    <td>
                      <a
                        className="row-link"
                        href={`#/patients/${patient.id}`}
                        data-testid="patient-open"
                      >
                        {patient.name}
                      </a>
                    </td>
                    <td className="mono">{patient.mrn ?? '—'}</td>
                    <td className="numeric">
                      {formatDate(patient.birthDate)}
                      {age !== null && <span className="muted"> ({age} y)</span>}
                    </td>
                    <td>{sexLabel(patient.sex)}</td>
                    <td className="numeric">{patient.studyCount}</td>
                    <td className="numeric">{patient.scanCount}</td>
                    <td className="numeric">{formatDate(patient.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result !== undefined && result.total > 0 && (
        <Pager
          page={result.page}
          limit={result.limit}
          total={result.total}
          totalPages={result.totalPages}
          noun={['patient', 'patients']}
          onPage={setPage}
          onLimit={(next) => {
            setLimit(next);
            setPage(1);
          }}
          testId="patients-pager"
        />
      )}
    </section>
  );
}
