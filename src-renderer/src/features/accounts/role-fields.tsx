import type { Patient } from '../../../../src-shared/contract/entities.js';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from '../../../../src-shared/roles.js';
import { useApi } from '../../api/api-context.js';
import { useAsync, type AsyncState } from '../../app/use-async.js';

const NO_PATIENTS = { items: [], total: 0, page: 1, limit: 500, totalPages: 0 };

/**
 * The patient records a patient account can be linked to: loaded only while the chosen role is
 * patient (other roles link to none).
 */
export function usePatientChoices(role: Role): AsyncState<{ items: Patient[] }> {
  const api = useApi();
  return useAsync(
    () =>
      role === 'patient' ? api.call('patients.list', { limit: 500 }) : Promise.resolve(NO_PATIENTS),
    [api, role],
  );
}

/** A field to choose one patient record, each shown as its name and MRN. */
export function PatientSelect({
  label,
  value,
  onChange,
  patients,
  testId,
}: {
  label: string;
  value: string;
  onChange: (patientId: string) => void;
  patients: readonly Patient[];
  testId: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">Choose the patient…</option>
        {patients.map((patient) => (
          <option key={patient.id} value={patient.id}>
            {patient.name}
            {patient.mrn === null ? '' : ` (${patient.mrn})`}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The role of a new account, with what that role may do, and for a patient account the patient
 * record it is linked to. Test ids: `<testIdPrefix>-role` and `<testIdPrefix>-patient`.
 */
export function AccountRoleFields({
  roles,
  role,
  onRole,
  patientId,
  onPatientId,
  patients,
  testIdPrefix,
}: {
  roles: readonly Role[];
  role: Role;
  onRole: (role: Role) => void;
  patientId: string;
  onPatientId: (patientId: string) => void;
  patients: readonly Patient[];
  testIdPrefix: string;
}) {
  return (
    <>
      <label className="field">
        <span>Role</span>
        <select
          value={role}
          onChange={(e) => onRole(e.target.value as Role)}
          data-testid={`${testIdPrefix}-role`}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <span className="muted small-note">{ROLE_DESCRIPTIONS[role]}</span>
      </label>
      {role === 'patient' && (
        <PatientSelect
          label="Patient record"
          value={patientId}
          onChange={onPatientId}
          patients={patients}
          testId={`${testIdPrefix}-patient`}
        />
      )}
    </>
  );
}
