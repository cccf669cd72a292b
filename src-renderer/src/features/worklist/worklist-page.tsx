import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
  toggleSort,
  worklistQuery,
  type WorklistState,
} from './worklist-query.js';
import { scanToOpen, treeKeyAction, visibleRows } from './worklist-rows.js';

export function WorklistPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const canImport = useCan('import.run');
  const [state, setState] = useStoredState<WorklistState>('neurosphere.worklist', INITIAL_WORKLIST);
  const [selected, setSelected] = useState(-1);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const worklist = useAsync(() => api.call('worklist.list', worklistQuery(state)), [api, state]);
  useEventRefresh(['scans.changed', 'scans.updated'], worklist.reload);

  const result = worklist.data;
  const rows = useMemo(() => visibleRows(result?.items ?? [], expanded), [result, expanded]);
  // The modality filter offers what the store holds; kept while a page loads.
  const [modalities, setModalities] = useState<readonly string[]>([]);
  useEffect(() => {
    if (result !== undefined) setModalities(result.modalities);
  }, [result]);
  const rangeProblem = dateRangeProblem(state);

  // A deletion can leave the page past the end: step back instead of showing an empty page.
  useEffect(() => {
    if (result !== undefined && result.page > result.totalPages)
      setState({ ...state, page: clampPage(state.page, result.totalPages) });
  }, [result, state, setState]);
  useEffect(() => setSelected((s) => Math.min(s, rows.length - 1)), [rows.length]);

  const open = useCallback((scanId: string) => navigate({ page: 'scan', id: scanId }), [navigate]);
  const toggle = useCallback((key: string) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);
  const select = (index: number): void => {
    setSelected(index);
    document.querySelectorAll<HTMLElement>('[data-row-focus]')[index]?.focus();
  };

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
    const tree = treeKeyAction(event.key, rows, selected);
    if (tree.kind !== 'none') {
      event.preventDefault();
      if (tree.kind === 'select') select(tree.index);
      else if (tree.kind === 'expand') toggle(tree.key);
      else {
        toggle(tree.key);
        select(tree.select);
      }
      return;
    }
    const action = listKeyAction(event.key, selected, rows.length);
    if (action.kind === 'none') return;
    event.preventDefault();
    if (action.kind === 'select') select(action.index);
    else if (action.kind === 'open') {
      const row = rows[action.index];
      const scanId = row === undefined ? null : scanToOpen(row);
      if (scanId !== null) open(scanId);
    } else if (result !== undefined) {
      const page = clampPage(state.page + action.delta, result.totalPages);
      if (page !== state.page) setState({ ...state, page });
    }
  };

  return (
    <section className="page-section" data-testid="worklist-page" aria-labelledby="worklist-title">
      <div className="toolbar">
        <h2 id="worklist-title">Worklist</h2>
        <span className="muted keys-hint">
          ↑↓ select · → ← series · Enter open · PgUp/PgDn page · / search
        </span>
        <span className="spacer" />
        {canImport && (
          <a className="button primary" href="#/import" data-testid="worklist-import">
            Import…
          </a>
        )}
      </div>
      <WorklistFilters state={state} modalities={modalities} onChange={setState} />
      {rangeProblem !== null && <p className="notice">{rangeProblem}</p>}
      <ErrorMessage message={worklist.error} />
      {result === undefined && worklist.error === null && (
        <div className="table-placeholder" aria-busy="true">
          Loading studies…
        </div>
      )}
      {result !== undefined && rows.length === 0 && (
        <EmptyState
          title={hasFilters(state) ? 'No studies match these filters.' : 'No scans yet.'}
          testId="worklist-empty"
        >
          {hasFilters(state)
            ? 'Change or clear the filters to see more studies.'
            : canImport
              ? 'Import DICOM folders or PNG/JPEG images to start: use Import, or drop files there.'
              : 'Scans appear here once a technologist or radiologist imports them.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <WorklistTable
          rows={rows}
          expanded={expanded}
          state={state}
          selected={selected}
          isLoading={worklist.isLoading}
          onSort={(key) => setState(toggleSort(state, key))}
          onSelect={setSelected}
          onToggle={toggle}
          onOpen={open}
        />
      )}
      {result !== undefined && result.total > 0 && (
        <Pager
          page={result.page}
          limit={result.limit}
          total={result.total}
          totalPages={result.totalPages}
          noun={['study', 'studies']}
          onPage={(page) => setState({ ...state, page })}
          onLimit={(limit) => setState({ ...state, limit, page: 1 })}
          testId="worklist-pager"
        />
      )}
    </section>
  );
}
