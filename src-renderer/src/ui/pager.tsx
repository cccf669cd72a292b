import { pageSummary } from './paging.js';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface PagerProps {
  readonly page: number;
  readonly limit: number;
  readonly total: number;
  readonly totalPages: number;
  readonly noun: readonly [singular: string, plural: string];
  readonly onPage: (page: number) => void;
  readonly onLimit: (limit: number) => void;
  readonly testId: string;
}

/** Paging as the seed API has it: page, limit, total and total pages. */
export function Pager(props: PagerProps) {
  const { page, totalPages } = props;
  return (
    <div className="pager" data-testid={props.testId}>
      <span className="muted" data-testid={`${props.testId}-summary`}>
        {pageSummary(props.page, props.limit, props.total, props.noun)}
      </span>
      <span className="spacer" />
      <label className="inline-field">
        <span>Per page</span>
        <select
          value={props.limit}
          onChange={(e) => props.onLimit(Number(e.target.value))}
          data-testid={`${props.testId}-limit`}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button"
        disabled={page <= 1}
        onClick={() => props.onPage(page - 1)}
        data-testid={`${props.testId}-previous`}
      >
        Previous
      </button>
      <span className="muted numeric" data-testid={`${props.testId}-position`}>
        Page {Math.min(page, totalPages)} of {totalPages}
      </span>
      <button
        type="button"
        className="button"
        disabled={page >= totalPages}
        onClick={() => props.onPage(page + 1)}
        data-testid={`${props.testId}-next`}
      >
        Next
      </button>
    </div>
  );
}
