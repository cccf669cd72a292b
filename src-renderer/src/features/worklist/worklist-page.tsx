import { useCallback, useEffect, useRef, useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import { useStoredState } from '../../app/use-stored-state.js';
import type { Route } from '../../app/routes.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Pager } from '../../ui/pager.js';
import { clampPage } from '../../ui/paging.js';
import { listKeyAction } from './list-keys.js';
import { WorklistFilters } from './worklist-filters.js';
import { WorklistTable } from './worklist-table.js';
import {
  dateRangeProblem,
  hasFilters,
  INITIAL_WORKLIST,
  scansQuery,
  toggleSort,
  type WorklistState,
} from './worklist-query.js';

export function WorklistPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const canImport = useCan('import.run');
  const [state, setState] = useStoredState<WorklistState>('neurosphere.worklist', INITIAL_WORKLIST);
  const [selected, setSelected] = useState(-1);
  const scans = useAsync(() => api.call('scans.list', scansQuery(state)), [api, state]);
  useEventRefresh(['scans.changed', 'scans.updated'], scans.reload);

  const result = scans.data;
  const items = result?.items ?? [];
  const rangeProblem = dateRangeProblem(state);

  // A deletion can leave the page past the end: step back instead of showing an empty page.
  useEffect(() => {
    if (result !== undefined && result.page > result.totalPages)
      setState({ ...state, page: clampPage(state.page, result.totalPages) });
  }, [result, state, setState]);
  useEffect(() => setSelected((s) => Math.min(s, items.length - 1)), [items.length]);

  const open = useCallback((scan: Scan) => navigate({ page: 'scan', id: scan.id }), [navigate]);

  const onKeyDown = useRef<(event: KeyboardEvent) => void>(() => undefined);
  // Listening on the window: the keys work wherever the focus is, except while typing.
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onKeyDown.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  onKeyDown.current = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement | null;
    if (target !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
    if (
      event.altKey ||
      event.ctrlKey ||
      event.metaKey ||
      document.querySelector('dialog[open]') !== null
    )
      return;
    const action = listKeyAction(event.key, selected, items.length);
    if (action.kind === 'none') return;
    event.preventDefault();
    if (action.kind === 'select') {
      setSelected(action.index);
      document.querySelectorAll<HTMLElement>('[data-testid="scan-open"]')[action.index]?.focus();
    } else if (action.kind === 'open') {
      const scan = items[action.index];
      if (scan !== undefined) open(scan);
    } else if (result !== undefined) {
      const page = clampPage(state.page + action.delta, result.totalPages);
      if (page !== state.page) setState({ ...state, page });
    }
  };

  return (
    <section className="page-section" data-testid="worklist-page" aria-labelledby="worklist-title">
      <div className="toolbar">
        <h2 id="worklist-title">Worklist</h2>
        <span className="muted keys-hint">↑↓ select · Enter open · PgUp/PgDn page · / search</span>
        <span className="spacer" />
        {canImport && (
          <a className="button primary" href="#/import" data-testid="worklist-import">
            Import…
          </a>
        )}
      </div>
      <WorklistFilters state={state} onChange={setState} />
      {rangeProblem !== null && <p className="notice">{rangeProblem}</p>}
      <ErrorMessage message={scans.error} />
      {result === undefined && scans.error === null && (
        <div className="table-placeholder" aria-busy="true">
          Loading scans…
        </div>
      )}
      {result !== undefined && items.length === 0 && (
        <EmptyState
          title={hasFilters(state) ? 'No scans match these filters.' : 'No scans yet.'}
          testId="worklist-empty"
        >
          {hasFilters(state)
            ? 'Change or clear the filters to see more scans.'
            : canImport
              ? 'Import DICOM folders or PNG/JPEG images to start: use Import, or drop files there.'
              : 'Scans appear here once a technologist or radiologist imports them.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <WorklistTable
          scans={items}
          state={state}
          selected={selected}
          isLoading={scans.isLoading}
          onSort={(key) => setState(toggleSort(state, key))}
          onSelect={setSelected}
          onOpen={open}
        />
      )}
      {result !== undefined && result.total > 0 && (
        <Pager
          page={result.page}
          limit={result.limit}
          total={result.total}
          totalPages={result.totalPages}
          noun={['scan', 'scans']}
          onPage={(page) => setState({ ...state, page })}
          onLimit={(limit) => setState({ ...state, limit, page: 1 })}
          testId="worklist-pager"
        />
      )}
    </section>
  );
}
