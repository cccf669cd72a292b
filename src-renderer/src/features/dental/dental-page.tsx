import { useState } from 'react';
import type { DentalFolder } from '../../../../src-shared/contract/dental.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useDebounced } from '../../app/use-debounced.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { NewDentalCaseForm } from './new-case-form.js';

type FolderFilter = 'all' | 'none' | string;

/** The folders: filter the list by one, create one, rename one. */
function FolderList(props: {
  folders: readonly DentalFolder[];
  chosen: FolderFilter;
  onChoose: (filter: FolderFilter) => void;
  onChanged: () => void;
  mayWrite: boolean;
}) {
  const api = useApi();
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (action: Promise<unknown>, done: () => void): void => {
    setError(null);
    action.then(
      () => {
        done();
        props.onChanged();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  };
  const item = (filter: FolderFilter, label: string, count?: number) => (
    <li key={filter}>
      <button
        type="button"
        className="link-button"
        aria-current={props.chosen === filter ? 'true' : undefined}
        onClick={() => props.onChoose(filter)}
        data-testid={`dental-folder-${filter}`}
      >
        {label}
        {count !== undefined && <span className="muted"> ({count})</span>}
      </button>
    </li>
  );
  return (
    <aside className="dental-folders" aria-label="Folders" data-testid="dental-folders">
      <h2>Folders</h2>
      <ul>
        {item('all', 'All cases')}
        {item('none', 'In no folder')}
        {props.folders.map((folder) =>
          renaming?.id === folder.id ? (
            <li key={folder.id}>
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  run(
                    api.call('dental.folders.rename', { id: folder.id, name: renaming.name }),
                    () => setRenaming(null),
                  );
                }}
              >
                <input
                  aria-label="New folder name"
                  value={renaming.name}
                  onChange={(e) => setRenaming({ id: folder.id, name: e.target.value })}
                  data-testid="dental-folder-rename-input"
                />
                <button type="submit">Save</button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            </li>
          ) : (
            <li key={folder.id} className="dental-folder-row">
              {item(folder.id, folder.name, folder.caseCount)}
              {props.mayWrite && (
                <button
                  type="button"
                  className="link-button small"
                  onClick={() => setRenaming({ id: folder.id, name: folder.name })}
                  data-testid={`dental-folder-rename-${folder.name}`}
                >
                  Rename
                </button>
              )}
            </li>
          ),
        )}
      </ul>
      {props.mayWrite && (
        <form
          className="dental-folder-new"
          onSubmit={(event) => {
            event.preventDefault();
            run(api.call('dental.folders.create', { name: newName }), () => setNewName(''));
          }}
        >
          <input
            aria-label="Folder name"
            placeholder="New folder"
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            data-testid="dental-folder-new-name"
          />
          <button type="submit" disabled={newName.trim() === ''} data-testid="dental-folder-create">
            Create folder
          </button>
        </form>
      )}
      {error !== null && <ErrorMessage message={error} />}
    </aside>
  );
}

/**
 * The Dental area (#/dental): folders, the case list filtered by folder and by case or patient
 * name, and the seed's "New dental case" form.
 */
export function DentalPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const mayWrite = useCan('scans.write');
  const mayImport = useCan('import.run');
  const [filter, setFilter] = useState<FolderFilter>('all');
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search, 250);
  const [paging, setPaging] = useState({ page: 1, limit: 25 });
  const [isCreating, setIsCreating] = useState(false);
  const folders = useAsync(() => api.call('dental.folders.list', {}), [api]);
  const cases = useAsync(
    () =>
      api.call('dental.cases.list', {
        ...(filter !== 'all' && { folderId: filter }),
        ...(debounced.trim() !== '' && { search: debounced.trim() }),
        page: paging.page,
        limit: paging.limit,
      }),
    [api, filter, debounced, paging],
  );

  return (
    <section className="page dental-page" data-testid="dental-page">
      <header className="page-header">
        <h1>Dental cases</h1>
        <span className="spacer" />
        {mayImport && !isCreating && (
          <button type="button" onClick={() => setIsCreating(true)} data-testid="dental-new">
            New dental case
          </button>
        )}
      </header>
      {isCreating && (
        <NewDentalCaseForm
          folders={folders.data ?? []}
          onClose={() => setIsCreating(false)}
          onCreated={(id) => navigate({ page: 'dentalCase', id })}
        />
      )}
      <div className="dental-layout">
        <FolderList
          folders={folders.data ?? []}
          chosen={filter}
          onChoose={(next) => {
            setFilter(next);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          onChanged={() => {
            folders.reload();
            cases.reload();
          }}
          mayWrite={mayWrite}
        />
        <div className="dental-cases">
          <input
            type="search"
            aria-label="Search cases and patients"
            placeholder="Search by case or patient name"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            data-testid="dental-search"
          />
          {cases.error !== null && <ErrorMessage message={cases.error} />}
          {cases.data !== undefined && cases.data.items.length === 0 && (
            <EmptyState title="No dental cases here." testId="dental-empty">
              {mayImport ? 'Create one with "New dental case".' : 'None was created yet.'}
            </EmptyState>
          )}
          {cases.data !== undefined && cases.data.items.length > 0 && (
            <table className="table" data-testid="dental-case-table">
              <thead>
                <tr>
                  <th>Case</th>
                  <th>Patient</th>
                  <th>Folder</th>
                  <th>Parts</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {cases.data.items.map((c) => (
                  <tr key={c.id} data-testid="dental-case-row">
                    <td>
                      <a href={`#/dental/${c.id}`}>{c.name}</a>
                    </td>
                    <td>{c.patientName ?? '—'}</td>
                    <td>{c.folderName ?? '—'}</td>
                    <td>
                      {[
                        c.upper !== null && 'upper STL',
                        c.lower !== null && 'lower STL',
                        c.cbct !== null && 'CBCT',
                      ]
                        .filter(Boolean)
                        .join(', ')}
                    </td>
                    <td>{formatDate(c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {cases.data !== undefined && cases.data.total > 0 && (
            <Pager
              page={cases.data.page}
              limit={cases.data.limit}
              total={cases.data.total}
              totalPages={cases.data.totalPages}
              noun={['case', 'cases']}
              onPage={(page) => setPaging((p) => ({ ...p, page }))}
              onLimit={(limit) => setPaging({ page: 1, limit })}
              testId="dental-pager"
            />
          )}
        </div>
      </div>
    </section>
  );
}
