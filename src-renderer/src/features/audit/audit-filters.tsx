import { useEffect, useState } from 'react';
import { useDebounced } from '../../app/use-debounced.js';
import { hasAuditFilters, NO_AUDIT_FILTERS, type AuditFilterState } from './audit-filter-state.js';

function Select(props: {
  label: string;
  value: string;
  options: readonly (readonly [value: string, label: string])[];
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      >
        <option value="">Any</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The audit page's filters: user, patient (record id or MRN), action, days, outcome. */
export function AuditFilters(props: {
  state: AuditFilterState;
  actors: readonly string[];
  actions: readonly string[];
  onChange: (state: AuditFilterState) => void;
}) {
  const { state, onChange } = props;
  const [patientText, setPatientText] = useState(state.patient);
  const patient = useDebounced(patientText, 400);
  useEffect(() => {
    if (patient !== state.patient) onChange({ ...state, patient });
    // Only a settled patient text changes the filter; the other fields change it at once.
  }, [patient]);

  return (
    <div className="toolbar filters" role="search" data-testid="audit-filters">
      <Select
        label="User"
        value={state.actor}
        options={props.actors.map((a) => [a, a] as const)}
        onChange={(actor) => onChange({ ...state, actor })}
        testId="audit-actor"
      />
      <label className="inline-field">
        <span>Patient</span>
        <input
          type="search"
          placeholder="Record id or MRN"
          value={patientText}
          onChange={(e) => setPatientText(e.target.value)}
          data-testid="audit-patient"
        />
      </label>
      <Select
        label="Action"
        value={state.action}
        options={props.actions.map((a) => [a, a] as const)}
        onChange={(action) => onChange({ ...state, action })}
        testId="audit-action"
      />
      <label className="inline-field">
        <span>From</span>
        <input
          type="date"
          value={state.from}
          onChange={(e) => onChange({ ...state, from: e.target.value })}
          data-testid="audit-from"
        />
      </label>
      <label className="inline-field">
        <span>To</span>
        <input
          type="date"
          value={state.to}
          onChange={(e) => onChange({ ...state, to: e.target.value })}
          data-testid="audit-to"
        />
      </label>
      <Select
        label="Outcome"
        value={state.outcome}
        options={[
          ['allowed', 'Allowed'],
          ['refused', 'Refused or failed'],
        ]}
        onChange={(outcome) =>
          onChange({ ...state, outcome: outcome as AuditFilterState['outcome'] })
        }
        testId="audit-outcome"
      />
      <button
        type="button"
        className="button"
        disabled={!hasAuditFilters(state) && patientText === ''}
        onClick={() => {
          setPatientText('');
          onChange(NO_AUDIT_FILTERS);
        }}
        data-testid="audit-clear"
      >
        Clear
      </button>
    </div>
  );
}
