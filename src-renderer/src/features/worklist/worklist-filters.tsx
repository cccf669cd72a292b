import { useEffect, useRef, useState } from 'react';
import { SCAN_STATUSES } from '../../../../src-shared/contract/entities.js';
import { useDebounced } from '../../app/use-debounced.js';
import { statusLabel } from '../../ui/format.js';
import { CLEARED_FILTERS, hasFilters, withFilter, type WorklistState } from './worklist-query.js';

const RESULT_LABELS: Record<Exclude<WorklistState['result'], ''>, string> = {
  tumour: 'Tumour',
  'no-tumour': 'No tumour',
  'not-analysed': 'Not analysed',
  'not-applicable': 'Not applicable',
};

const REPORT_LABELS: Record<Exclude<WorklistState['report'], ''>, string> = {
  none: 'No report',
  draft: 'Draft',
  signed: 'Signed',
};

/** One labelled filter: "All" (the empty value) and the given values with their labels. */
function FilterSelect({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="inline-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Text search (patient name or ID, study and series descriptions, modality, accession number),
 * modality, AI result, report state, status and date range.
 */
export function WorklistFilters({
  state,
  modalities,
  onChange,
}: {
  state: WorklistState;
  /** The modalities in the store; a chosen one stays offered even when it has gone. */
  modalities: readonly string[];
  onChange: (next: WorklistState) => void;
}) {
  const modalityOptions =
    state.modality === '' || modalities.includes(state.modality)
      ? modalities
      : [...modalities, state.modality];
  const [searchText, setSearchText] = useState(state.search);
  const search = useDebounced(searchText, 250);
  const searchInput = useRef<HTMLInputElement>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    if (search !== stateRef.current.search) onChange(withFilter(stateRef.current, { search }));
  }, [search, onChange]);

  // "/" focuses the search from anywhere on the page, as in many list tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      const isTyping = target !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
      if (event.key === '/' && !isTyping) {
        event.preventDefault();
        searchInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="toolbar filters" role="search">
      <label className="inline-field grow">
        <span className="visually-hidden">Search</span>
        <input
          ref={searchInput}
          type="search"
          placeholder="Patient, ID, description, modality  ( / )"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          data-testid="worklist-search"
        />
      </label>
      <FilterSelect
        label="Modality"
        value={state.modality}
        options={modalityOptions.map((m) => [m, m] as const)}
        onChange={(modality) => onChange(withFilter(state, { modality }))}
        testId="worklist-modality-filter"
      />
      <FilterSelect
        label="AI result"
        value={state.result}
        options={Object.entries(RESULT_LABELS)}
        onChange={(value) =>
          onChange(withFilter(state, { result: value as WorklistState['result'] }))
        }
        testId="worklist-result-filter"
      />
      <FilterSelect
        label="Report"
        value={state.report}
        options={Object.entries(REPORT_LABELS)}
        onChange={(value) =>
          onChange(withFilter(state, { report: value as WorklistState['report'] }))
        }
        testId="worklist-report-filter"
      />
      <FilterSelect
        label="Status"
        value={state.status}
        options={SCAN_STATUSES.map((s) => [s, statusLabel(s)] as const)}
        onChange={(value) =>
          onChange(withFilter(state, { status: value as WorklistState['status'] }))
        }
        testId="worklist-status-filter"
      />
      <label className="inline-field">
        <span>From</span>
        <input
          type="date"
          value={state.from}
          onChange={(e) => onChange(withFilter(state, { from: e.target.value }))}
          data-testid="worklist-from"
        />
      </label>
      <label className="inline-field">
        <span>To</span>
        <input
          type="date"
          value={state.to}
          onChange={(e) => onChange(withFilter(state, { to: e.target.value }))}
          data-testid="worklist-to"
        />
      </label>
      <button
        type="button"
        className="button"
        disabled={!hasFilters(state)}
        onClick={() => {
          setSearchText('');
          onChange(withFilter(state, CLEARED_FILTERS));
        }}
        data-testid="worklist-clear"
      >
        Clear
      </button>
    </div>
  );
}
