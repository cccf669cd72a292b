import { useState } from 'react';
import type { Route } from '../../app/routes.js';
import { hashFor } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, sexLabel } from '../../ui/format.js';
import { EnterConnectCode, ShowConnectCode } from './connect-code.js';

/** A doctor's patients: those assigned by an administrator or connected with a code. */
export function MyPatientsPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const patients = useAsync(() => api.call('careTeam.myPatients', {}), [api]);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section
      className="page-section"
      data-testid="my-patients-page"
      aria-labelledby="my-patients-title"
    >
      <div className="toolbar">
        <h2 id="my-patients-title">Your patients</h2>
      </div>
      <ErrorMessage message={patients.error} />
      {notice !== null && (
        <p className="notice" role="status" data-testid="my-patients-notice">
          {notice}
        </p>
      )}
      <section className="panel">
        <div className="table-wrap">
          <table className="table compact" data-testid="my-patients-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Patient ID</th>
                <th scope="col">Birth date</th>
                <th scope="col">Sex</th>
                <th scope="col">Scans</th>
              </tr>
            </thead>
            <tbody>
              {(patients.data ?? []).map((patient) => (
                <tr key={patient.id} data-testid={`my-patient-${patient.id}`}>
                  <td>
                    <a
                      href={hashFor({ page: 'patient', id: patient.id })}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate({ page: 'patient', id: patient.id });
                      }}
                    >
                      {patient.name}
                    </a>
                  </td>
                  <td className="mono">{patient.mrn ?? ''}</td>
                  <td>{patient.birthDate === null ? '' : formatDate(patient.birthDate)}</td>
                  <td>{patient.sex === null ? '' : sexLabel(patient.sex)}</td>
                  <td>{patient.scanCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {patients.data?.length === 0 && (
            <p className="muted" data-testid="my-patients-empty">
              No patients yet: enter a patient’s connect code below, or ask an administrator to
              assign patients to you.
            </p>
          )}
        </div>
      </section>
      <EnterConnectCode
        title="Connect a patient"
        explanation="Enter the code a patient showed you (Connect a doctor, in their account)."
        onConnected={(link) => {
          setNotice(`${link.patientName} is now one of your patients.`);
          patients.reload();
        }}
      />
      <ShowConnectCode
        title="Or give a patient your code"
        explanation="A patient enters this code in their account to connect with you."
      />
    </section>
  );
}
