import { describe, expect, it } from 'vitest';
import { NO_AUDIT_FILTERS, hasAuditFilters, toAuditFilter } from './audit-filter-state.js';

describe('the audit page filter', () => {
  it('sends only the fields set, and a day range as local days, the last one included', () => {
    expect(toAuditFilter(NO_AUDIT_FILTERS)).toEqual({});
    expect(hasAuditFilters(NO_AUDIT_FILTERS)).toBe(false);
    const filter = toAuditFilter({
      ...NO_AUDIT_FILTERS,
      actor: 'vera',
      patient: '  MRN-1 ',
      from: '2026-02-28',
      to: '2026-03-01',
      outcome: 'refused',
    });
    expect(filter).toEqual({
      actor: 'vera',
      patient: 'MRN-1',
      from: new Date(2026, 1, 28).toISOString(),
      to: new Date(2026, 2, 2).toISOString(),
      outcome: 'refused',
    });
  });
});
