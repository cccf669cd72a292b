import { describe, expect, it } from 'vitest';
import { listKeyAction } from './list-keys.js';
import {
  dateRangeProblem,
  hasFilters,
  INITIAL_WORKLIST,
  worklistQuery,
  toggleSort,
  withFilter,
} from './worklist-query.js';

describe('worklist query', () => {
  it('leaves empty controls out and trims the search', () => {
    expect(worklistQuery(INITIAL_WORKLIST)).toEqual({
      page: 1,
      limit: 25,
      sort: 'createdAt',
      order: 'desc',
    });
    expect(
      worklistQuery({
        ...INITIAL_WORKLIST,
        status: 'imported',
        modality: 'MR',
        result: 'tumour',
        report: 'draft',
        search: '  smith ',
        from: '2024-01-01',
        to: '2024-02-01',
      }),
    ).toEqual({
      page: 1,
      limit: 25,
      sort: 'createdAt',
      order: 'desc',
      status: 'imported',
      modality: 'MR',
      result: 'tumour',
      report: 'draft',
      search: 'smith',
      from: '2024-01-01',
      to: '2024-02-01',
    });
  });

  it('toggles the order on the same column and picks a sensible order for a new one', () => {
    const byName = toggleSort({ ...INITIAL_WORKLIST, page: 3 }, 'patientName');
    expect(byName).toMatchObject({ sort: 'patientName', order: 'asc', page: 1 });
    expect(toggleSort(byName, 'patientName')).toMatchObject({ order: 'desc' });
    expect(toggleSort(byName, 'acquiredAt')).toMatchObject({ sort: 'acquiredAt', order: 'desc' });
  });

  it('goes back to page 1 on a filter change and knows when filters are set', () => {
    const filtered = withFilter({ ...INITIAL_WORKLIST, page: 4 }, { search: 'x' });
    expect(filtered.page).toBe(1);
    expect(hasFilters(filtered)).toBe(true);
    expect(hasFilters({ ...INITIAL_WORKLIST, search: '   ' })).toBe(false);
    expect(hasFilters({ ...INITIAL_WORKLIST, modality: 'CT' })).toBe(true);
    expect(hasFilters({ ...INITIAL_WORKLIST, result: 'not-analysed' })).toBe(true);
    expect(hasFilters({ ...INITIAL_WORKLIST, report: 'none' })).toBe(true);
  });

  it('explains a reversed date range', () => {
    expect(dateRangeProblem({ from: '2024-03-01', to: '2024-02-01' })).toMatch(/after/);
    expect(dateRangeProblem({ from: '2024-01-01', to: '' })).toBeNull();
  });
});

describe('list keyboard navigation', () => {
  it('moves, clamps, jumps and opens', () => {
    expect(listKeyAction('ArrowDown', -1, 3)).toEqual({ kind: 'select', index: 0 });
    expect(listKeyAction('ArrowDown', 2, 3)).toEqual({ kind: 'select', index: 2 });
    expect(listKeyAction('k', 0, 3)).toEqual({ kind: 'select', index: 0 });
    expect(listKeyAction('End', 0, 3)).toEqual({ kind: 'select', index: 2 });
    expect(listKeyAction('Enter', 1, 3)).toEqual({ kind: 'open', index: 1 });
    expect(listKeyAction('Enter', -1, 3)).toEqual({ kind: 'none' });
    expect(listKeyAction('PageDown', 1, 3)).toEqual({ kind: 'page', delta: 1 });
    expect(listKeyAction('ArrowDown', 0, 0)).toEqual({ kind: 'none' });
    expect(listKeyAction('x', 0, 3)).toEqual({ kind: 'none' });
  });
});
