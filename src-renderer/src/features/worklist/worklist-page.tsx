import { useState } from 'react';
import { SCAN_STATUSES } from '../../../../src-shared/contract/entities.js';
import type { MethodInput } from '../../../../src-shared/contract/methods.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { useDebounced } from '../../app/use-debounced.js';
import type { DesktopImport } from '../../app/use-desktop-import.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, formatDimensions, statusLabel } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';

const PAGE_SIZE = 50;
type StatusFilter = (typeof SCAN_STATUSES)[number] | '';

function ImportButtons({ importer }: { importer: DesktopImport }) {
  if (!importer.isAvailable || !importer.isAllowed) return null;
  return (
    <>
      <button
        type="button"
        className="button primary"
        disabled={importer.isBusy}
        onClick={() => importer.start('files')}
        data-testid="import-files-button"
      >
        Import files…
      </button>
      <button
        type="button"
        className="button"
        disabled={importer.isBusy}
        onClick={() => importer.start('folder')}
        data-testid="import-folder-button"
      >
        Import folder…
      </button>
    </>
  );
}

export function WorklistPage({ importer }: { importer: DesktopImport }) {
  const api = useApi();
  const [status, setStatus] = useState<StatusFilter>('');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [page, setPage] = useState(1);

  const scans = useAsync(() => {
    const input: MethodInput<'scans.list'> = {
      page,
      limit: PAGE_SIZE,
      ...(status !== '' && { status }),
      ...(search !== '' && { search }),
    };
    return api.call('scans.list', input);
  }, [api, status, search, page]);
  useEventRefresh(['scans.changed', 'scans.updated'], scans.reload);

  const result = scans.data;
  const totalPages = result?.totalPages ?? 1;

  return (
    <section className="page-section" data-testid="worklist-page" aria-labelledby="worklist-title">
      <div className="toolbar">
        <h2 id="worklist-title">Worklist</h2>
        <label className="inline-field">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as StatusFilter);
              setPage(1);
            }}
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
        <label className="inline-field grow">
          <span className="visually-hidden">Search</span>
          <input
            type="search"
            placeholder="Search patient, ID or description"
            value={searchText}
            onChange={(e) => {
              setSearchText(e.target.value);
              setPage(1);
            }}
            data-testid="worklist-search"
          />
        </label>
        <ImportButtons importer={importer} />
      </div>
      <ErrorMessage message={scans.error} />
      {result === undefined && scans.error === null && <p className="muted">Loading scans…</p>}
      {result !== undefined && result.items.length === 0 && (
        <p className="empty" data-testid="worklist-empty">
          {status === '' && search === ''
            ? 'No scans yet. Import DICOM folders or images to start.'
            : 'No scans match this filter.'}
        </p>
      )}
      {result !== undefined && result.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="worklist-table" aria-busy={scans.isLoading}>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Modality</th>
                <th scope="col" className="wide">
                  Description
                </th>
                <th scope="col">Status</th>
                <th scope="col">Dimensions</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((scan) => (
                <tr key={scan.id} data-testid="scan-row" data-scan-id={scan.id}>
                  <td>
                    <div className="cell-main">{scan.patientName ?? 'Unknown patient'}</div>
                    {scan.patientMrn !== null && (
                      <div className="cell-sub muted">ID {scan.patientMrn}</div>
                    )}
                  </td>
                  <td>{scan.modality ?? scan.format.toUpperCase()}</td>
                  <td>{scan.description ?? <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={scan.status} testId="scan-status" />
                  </td>
                  <td className="numeric">{formatDimensions(scan)}</td>
                  <td className="numeric">{formatDate(scan.acquiredAt ?? scan.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result !== undefined && result.total > 0 && (
        <div className="pager">
          <span className="muted" data-testid="worklist-count">
            {result.total === 1 ? '1 scan' : `${result.total} scans`}
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="button"
            disabled={page <= 1}
            onClick={() => setPage((p) => Math.max(1, p - 1))}
          >
            Previous
          </button>
          <span className="muted">
            Page {Math.min(page, totalPages)} of {totalPages}
          </span>
          <button
            type="button"
            className="button"
            disabled={page >= totalPages}
            onClick={() => setPage((p) => p + 1)}
          >
            Next
          </button>
        </div>
      )}
    </section>
  );
}
