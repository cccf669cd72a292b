import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { PatientSelect } from './role-fields.js';

/** An administrator assigns doctor accounts to patients (besides the connect codes they exchange). */
export function CareTeamPanel({ refreshKey }: { refreshKey: number }) {
  const api = useApi();
  const links = useAsync(() => api.call('careTeam.list', {}), [api, refreshKey]);
  const doctors = useAsync(
    () => api.call('users.list', {}).then((users) => users.filter((u) => u.role === 'doctor')),
    [api, refreshKey],
  );
  const patients = useAsync(() => api.call('patients.list', { limit: 500 }), [api]);
  const [doctorId, setDoctorId] = useState('');
  const [patientId, setPatientId] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function change(
    method: 'careTeam.assign' | 'careTeam.unassign',
    pair: { doctorId: string; patientId: string },
  ): Promise<void> {
    setError(null);
    try {
      await api.call(method, pair);
      links.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <section className="panel" aria-labelledby="care-team-title" data-testid="care-team">
      <h3 id="care-team-title" className="panel-header">
        Doctors’ patients
      </h3>
      <p className="muted small-note">
        A doctor account sees only the patients assigned here or connected with a patient’s connect
        code.
      </p>
      <form
        className="account-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (doctorId !== '' && patientId !== '')
            void change('careTeam.assign', { doctorId, patientId });
        }}
      >
        <label className="field">
          <span>Doctor</span>
          <select
            value={doctorId}
            onChange={(e) => setDoctorId(e.target.value)}
            data-testid="assign-doctor"
          >
            <option value="">Choose the doctor…</option>
            {(doctors.data ?? []).map((doctor) => (
              <option key={doctor.id} value={doctor.id}>
                {doctor.displayName} ({doctor.username})
              </option>
            ))}
          </select>
        </label>
        <PatientSelect
          label="Patient"
          value={patientId}
          onChange={setPatientId}
          patients={patients.data?.items ?? []}
          testId="assign-patient"
        />
        <ErrorMessage message={error ?? links.error ?? doctors.error ?? patients.error} />
        <div className="toolbar">
          <button
            type="submit"
            className="button primary"
            disabled={doctorId === '' || patientId === ''}
            data-testid="assign-save"
          >
            Assign
          </button>
        </div>
      </form>
      <div className="table-wrap">
        <table className="table compact" data-testid="care-team-table">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Doctor</th>
              <th scope="col">How</th>
              <th scope="col">Since</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(links.data ?? []).map((link) => (
              <tr key={`${link.doctor.id}/${link.patientId}`}>
                <td>{link.patientName}</td>
                <td className="mono">{link.doctor.username}</td>
                <td>{link.via === 'code' ? 'Connect code' : 'Assigned'}</td>
                <td>{formatDate(link.assignedAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    onClick={() =>
                      void change('careTeam.unassign', {
                        doctorId: link.doctor.id,
                        patientId: link.patientId,
                      })
                    }
                  >
                    Unassign
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {links.data?.length === 0 && (
          <p className="muted">No doctor is assigned to a patient yet.</p>
        )}
      </div>
    </section>
  );
}
