import type { AuditFilter, AuditOutcome } from '../../../../src-shared/contract/audit.js';

/** The audit page's filters as the form holds them: '' is "any". Dates are local days. */
export interface AuditFilterState {
  readonly actor: string;
  readonly patient: string;
  readonly action: string;
  /** YYYY-MM-DD, the first local day shown. */
  readonly from: string;
  /** YYYY-MM-DD, the last local day shown (inclusive). */
  readonly to: string;
  readonly outcome: '' | AuditOutcome;
}

export const NO_AUDIT_FILTERS: AuditFilterState = {
  actor: '',
  patient: '',
  action: '',
  from: '',
  to: '',
  outcome: '',
};

export function hasAuditFilters(state: AuditFilterState): boolean {
  return Object.values(state).some((value) => value !== '');
}

/** The start of a local day (YYYY-MM-DD) plus `days`, as an ISO instant. */
function startOfLocalDay(day: string, days = 0): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date + days).toISOString();
}

/**
 * The contract's filter: only the fields set; the day range becomes [start of the first day,
 * start of the day after the last) in this computer's time zone, as the admin reads dates.
 */
export function toAuditFilter(state: AuditFilterState): AuditFilter {
  const patient = state.patient.trim();
  return {
    ...(state.actor !== '' && { actor: state.actor }),
    ...(patient !== '' && { patient }),
    ...(state.action !== '' && { action: state.action }),
    ...(state.from !== '' && { from: startOfLocalDay(state.from) }),
    ...(state.to !== '' && { to: startOfLocalDay(state.to, 1) }),
    ...(state.outcome !== '' && { outcome: state.outcome }),
  };
}
