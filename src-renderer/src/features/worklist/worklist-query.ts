import type { Scan } from '../../../../src-shared/contract/entities.js';
import type { MethodInput } from '../../../../src-shared/contract/methods.js';
import type {
  WorklistReportState,
  WorklistResult,
} from '../../../../src-shared/contract/worklist.js';

export type SortKey = 'createdAt' | 'acquiredAt' | 'patientName' | 'modality';
export type SortOrder = 'asc' | 'desc';

/** Everything the worklist's controls hold; kept across visits to a scan and back. */
export interface WorklistState {
  readonly status: Scan['status'] | '';
  readonly modality: string;
  readonly result: WorklistResult | '';
  readonly report: WorklistReportState | '';
  readonly search: string;
  readonly from: string;
  readonly to: string;
  readonly sort: SortKey;
  readonly order: SortOrder;
  readonly page: number;
  readonly limit: number;
}

export const INITIAL_WORKLIST: WorklistState = {
  status: '',
  modality: '',
  result: '',
  report: '',
  search: '',
  from: '',
  to: '',
  sort: 'createdAt',
  order: 'desc',
  page: 1,
  limit: 25,
};

/** The worklist.list input for the controls; empty controls are left out. */
export function worklistQuery(state: WorklistState): MethodInput<'worklist.list'> {
  const search = state.search.trim();
  return {
    page: state.page,
    limit: state.limit,
    sort: state.sort,
    order: state.order,
    ...(state.status !== '' && { status: state.status }),
    ...(state.modality !== '' && { modality: state.modality }),
    ...(state.result !== '' && { result: state.result }),
    ...(state.report !== '' && { report: state.report }),
    ...(search !== '' && { search }),
    ...(state.from !== '' && { from: state.from }),
    ...(state.to !== '' && { to: state.to }),
  };
}

/** Clicking a column header: the same column flips the order; another starts descending for dates. */
export function toggleSort(state: WorklistState, key: SortKey): WorklistState {
  if (state.sort === key)
    return { ...state, order: state.order === 'asc' ? 'desc' : 'asc', page: 1 };
  const isDate = key === 'createdAt' || key === 'acquiredAt';
  return { ...state, sort: key, order: isDate ? 'desc' : 'asc', page: 1 };
}

/** Any change of a filter goes back to the first page. */
export function withFilter(state: WorklistState, change: Partial<WorklistState>): WorklistState {
  return { ...state, ...change, page: 1 };
}

export const CLEARED_FILTERS = {
  status: '',
  modality: '',
  result: '',
  report: '',
  search: '',
  from: '',
  to: '',
} as const satisfies Partial<WorklistState>;

export function hasFilters(state: WorklistState): boolean {
  return (
    state.status !== '' ||
    state.modality !== '' ||
    state.result !== '' ||
    state.report !== '' ||
    state.search.trim() !== '' ||
    state.from !== '' ||
    state.to !== ''
  );
}

/** A date range with the ends the wrong way round is a typing slip: say so instead of no results. */
export function dateRangeProblem(state: Pick<WorklistState, 'from' | 'to'>): string | null {
  if (state.from !== '' && state.to !== '' && state.from > state.to)
    return 'The "from" date is after the "to" date: no study can match.';
  return null;
}
