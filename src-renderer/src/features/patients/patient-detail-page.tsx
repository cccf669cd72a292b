import { useState } from 'react';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import { mayOpen, type Route } from '../../app/routes.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ageOn, formatDate, plural, sexLabel } from '../../ui/format.js';
import { PatientReports } from '../reports/patient-reports.js';
import { PatientForm } from './patient-form.js';
import { PatientImport } from './patient-import.js';
import { ScanCard } from './scan-card.js';

/** One patient: details, edit, their studies with scans, reports, and deletion with confirmation. */
export function PatientDetailPage({
  patientId,
  navigate,
}: {
  patientId: string;
  navigate: (route: Route) => void;
}) {
  const api = useApi();
  const canWrite = useCan('patients.write');
  const canDelete = useCan('patients.delete');
  const canImport = useCan('import.run');
  // A patient account sees only this page: no list to go back to. A doctor goes back to theirs.
  const role = useSession()?.user.role;
  const canList = role !== undefined && mayOpen(role, 'patients');
  const backTo = role !== undefined && mayOpen(role, 'my-patients') ? 'my-patients' : 'patients';
  const [isImporting, setIsImporting] = useState(false);
  const patient = useAsync(() => api.call('patients.get', { id: patientId }), [api, patientId]);
  const studies = useAsync(() => api.call('studies.list', { patientId }), [api, patientId]);
  const scans = useAsync(
    () => api.call('scans.list', { patientId, limit: 500, sort: 'acquiredAt', order: 'desc' }),
    [api, patientId],
  );
  useEventRefresh(['scans.changed'], scans.reload);
  const [isEditing, setIsEditing] = useState(false);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  async function remove(): Promise<void> {
    setIsDeleting(true);
    try {
      await api.call('patients.delete', { id: patientId });
      navigate({ page: 'patients' });
    } catch (failure) {
      setDeleteError(errorMessage(failure));
      setIsConfirming(false);
      setIsDeleting(false);
    }
  }

  const p = patient.data;
  if (patient.error !== null)
    return (
      <section className="page-section" data-testid="patient-detail-page">
        <EmptyState title="This patient cannot be shown." testId="patient-missing">
          <ErrorMessage message={patient.error} />
          <p>
            <a href="#/patients">Back to the patients</a>
          </p>
        </EmptyState>
      </section>
    );
  const age = p === undefined ? null : ageOn(p.birthDate, new Date());
  const scanItems = scans.data?.items ?? [];
  // NIfTI volumes and pictures belong to no study: listed on their own under the studies.
  const scansWithoutStudy = scanItems.filter((scan) => scan.studyId === null);
  const fromDicom = scanItems.some((scan) => scan.format === 'dicom');

  return (
    <section
      className="page-section"
      data-testid="patient-detail-page"
      aria-labelledby="patient-title"
    >
      <div className="toolbar">
        {(canList || backTo === 'my-patients') && (
          <a href={`#/${backTo}`} className="button small">
            {backTo === 'my-patients' ? '← Your patients' : '← Patients'}
          </a>
        )}
        <h2 id="patient-title" data-testid="patient-title">
          {p?.name ?? 'Loading…'}
        </h2>
        <span className="spacer" />
        {canImport && p !== undefined && (
          <button
            type="button"
            className="button"
            aria-pressed={isImporting}
            onClick={() => setIsImporting(!isImporting)}
            data-testid="patient-import-toggle"
          >
            {isImporting ? 'Close import' : 'Import for this patient…'}
          </button>
        )}
        {canImport && p !== undefined && p.mrn !== null && (
          <a
            href={`#/query?patientId=${encodeURIComponent(p.mrn)}`}
            className="button"
            data-testid="patient-priors"
            title="Search the PACS for this patient's other studies"
          >
            Priors…
          </a>
        )}
        {canWrite && p !== undefined && !isEditing && (
          <button
            type="button"
            className="button"
            onClick={() => setIsEditing(true)}
            data-testid="patient-edit"
          >
            Edit
          </button>
        )}
        {canDelete && p !== undefined && (
          <button
            type="button"
            className="button danger"
            onClick={() => setIsConfirming(true)}
            data-testid="patient-delete"
          >
            Delete patient
          </button>
        )}
      </div>
      <ErrorMessage message={deleteError} />
      {isEditing && p !== undefined ? (
        <PatientForm
          patient={p}
          lockedMrnReason={
            fromDicom && p.mrn !== null
              ? 'From the DICOM headers: later imports find this patient by it.'
              : null
          }
          onCancel={() => setIsEditing(false)}
          onSaved={() => {
            setIsEditing(false);
            patient.reload();
          }}
        />
      ) : (
        <section className="panel" aria-label="Details">
          <dl className="facts" data-testid="patient-facts">
            <dt>Patient ID</dt>
            <dd className="mono">{p?.mrn ?? '—'}</dd>
            <dt>Date of birth</dt>
            <dd>
              {formatDate(p?.birthDate ?? null)}
              {age !== null && ` (${age} years)`}
            </dd>
            <dt>Sex</dt>
            <dd>{sexLabel(p?.sex ?? null)}</dd>
            <dt>Notes</dt>
            <dd className="notes">{p === undefined || p.notes === '' ? '—' : p.notes}</dd>
          </dl>
        </section>
      )}
      {isImporting && p !== undefined && (
        <PatientImport patientId={p.id} patientName={p.name} navigate={navigate} />
      )}
      <section className="panel" aria-labelledby="studies-title" data-testid="patient-studies">
        <h3 id="studies-title">
          Studies and scans
          {studies.data !== undefined && (
            <span className="muted"> · {plural(studies.data.length, 'study', 'studies')}</span>
          )}
        </h3>
        <ErrorMessage message={studies.error ?? scans.error} />
        {studies.data !== undefined && studies.data.length === 0 && scanItems.length === 0 && (
          <p className="muted panel-empty">
            No studies yet. Import this patient’s DICOM studies or images to add them.
          </p>
        )}
        {(studies.data ?? []).map((study) => (
          <div key={study.id} className="study-block" data-testid="patient-study">
            <div className="study-head">
              <strong>{study.description ?? 'Study'}</strong>
              <span className="muted">
                {formatDate(study.studyDate)}
                {study.accessionNumber !== null && ` · Accession ${study.accessionNumber}`}
              </span>
            </div>
            <ul className="scan-cards">
              {scanItems
                .filter((scan) => scan.studyId === study.id)
                .map((scan) => (
                  <ScanCard key={scan.id} scan={scan} />
                ))}
            </ul>
          </div>
        ))}
        {scansWithoutStudy.length > 0 && (
          <div className="study-block" data-testid="patient-scans-without-study">
            <div className="study-head">
              <strong>Scans without a study</strong>
              <span className="muted">NIfTI volumes and pictures</span>
            </div>
            <ul className="scan-cards">
              {scansWithoutStudy.map((scan) => (
                <ScanCard key={scan.id} scan={scan} />
              ))}
            </ul>
          </div>
        )}
      </section>
      <PatientReports patientId={patientId} scans={scanItems} />
      {isConfirming && p !== undefined && (
        <ConfirmDialog
          title={`Delete ${p.name}?`}
          confirmLabel="Delete patient and scans"
          isBusy={isDeleting}
          onConfirm={() => void remove()}
          onCancel={() => setIsConfirming(false)}
          testId="confirm-delete-patient"
        >
          This removes the patient with {plural(p.studyCount, 'study', 'studies')} and{' '}
          {plural(p.scanCount, 'scan')}, and their stored files. It cannot be undone.
        </ConfirmDialog>
      )}
    </section>
  );
}
