import { useEffect, useRef, useState } from 'react';
import { SCAN_STATUSES } from '../../../../src-shared/contract/entities.js';
import { useDebounced } from '../../app/use-debounced.js';
import { statusLabel } from '../../ui/format.js';
import { hasFilters, withFilter, type WorklistState } from './worklist-query.js';

/** Status, text search (patient name or id, study description) and date range. */
export function WorklistFilters({
  state,
  onChange,
}: {
  state: WorklistState;
  onChange: (next: WorklistState) => void;
}) {
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
          placeholder="Search patient name or ID, study description  ( / )"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          data-testid="worklist-search"
        />
      </label>
      <label className="inline-field">
        <span>Status</span>
        <select
          value={state.status}
          onChange={(e) =>
            onChange(withFilter(state, { status: e.target.value as WorklistState['status'] }))
          }
          data-testid="worklist-status-filter"
        >
          <option value="">All</option>
          {SCAN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
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
          onChange(withFilter(state, { status: '', search: '', from: '', to: '' }));
        }}
        data-testid="worklist-clear"
      >
        Clear
      </button>
    </div>
  );
}
