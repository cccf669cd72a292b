import { useState } from 'react';
import type { AuditEntryView } from '../../../../src-shared/contract/audit.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { clampPage } from '../../ui/paging.js';
import { saveDownload } from '../../ui/save-download.js';
import { NO_AUDIT_FILTERS, toAuditFilter, type AuditFilterState } from './audit-filter-state.js';
import { AuditFilters } from './audit-filters.js';
import { AuditVerifyPanel } from './audit-verify-panel.js';

/** Details as short "key: value" text; the trail holds counts, ids and flags, never names. */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

function AuditRow({ entry }: { entry: AuditEntryView }) {
  return (
    <tr data-testid="audit-row" data-seq={entry.seq}>
      <td className="numeric">{entry.seq}</td>
      {/* "numeric" keeps these short columns on one line. */}
      <td className="numeric" title={entry.at}>
        {formatDate(entry.at)}
      </td>
      <td className="mono numeric">{entry.actor ?? <span className="muted">anonymous</span>}</td>
      <td className="mono numeric" data-testid="audit-row-action">
        {entry.action}
      </td>
      <td data-testid="audit-row-outcome">
        {entry.outcome === 'refused' ? <span className="row-error">Refused</span> : 'Allowed'}
      </td>
      <td className="mono small-note">{entry.target ?? ''}</td>
      <td className="muted small-note">{detailsText(entry.details)}</td>
    </tr>
  );
}

/**
 * The audit trail for administrators: who read or changed what, filtered and paged, the
 * chain verified on demand, and the filtered rows exported as CSV (the export is audited).
 */
export function AuditPage() {
  const api = useApi();
  const [filters, setFilters] = useState<AuditFilterState>(NO_AUDIT_FILTERS);
  const [page, setPage] = useState(1);
  const [limit, setLimit] = useState(50);
  const [exportError, setExportError] = useState<string | null>(null);
  const [isExporting, setIsExporting] = useState(false);
  const filter = toAuditFilter(filters);
  const filterKey = JSON.stringify(filter);
  const options = useAsync(() => api.call('audit.filterOptions', {}), [api]);
  const rows = useAsync(
    () => api.call('audit.list', { ...filter, page, limit }),
    [api, filterKey, page, limit],
  );

  function changeFilters(next: AuditFilterState): void {
    setFilters(next);
    setPage(1);
  }

  function exportCsv(): void {
    setIsExporting(true);
    setExportError(null);
    api
      .stream('audit.csv', filter)
      .then(
        ({ description, data }) => {
          saveDownload(description.fileName, data, STREAM_CONTENT_TYPES.csv);
          // The export wrote its own row.
          rows.reload();
          options.reload();
        },
        (failure: unknown) => setExportError(errorMessage(failure)),
      )
      .finally(() => setIsExporting(false));
  }

  const data = rows.data;
  return (
    <section className="page-section" data-testid="audit-page" aria-labelledby="audit-title">
      <div className="toolbar">
        <h2 id="audit-title">Audit trail</h2>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          disabled={isExporting || data === undefined || data.total === 0}
          onClick={exportCsv}
          data-testid="audit-export"
        >
          {isExporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <p className="muted small-note">
        Every read of patient data, every change and every refused attempt, with the user and the
        record id it concerned. The trail holds no patient names: filter by a patient&apos;s record
        id or MRN.
      </p>
      <ErrorMessage message={options.error ?? exportError} />
      <AuditVerifyPanel
        onVerified={() => {
          rows.reload();
          options.reload();
        }}
      />
      <AuditFilters
        state={filters}
        actors={options.data?.actors ?? []}
        actions={options.data?.actions ?? []}
        onChange={changeFilters}
      />
      <ErrorMessage message={rows.error} />
      <div className="table-wrap">
        <table className="table compact" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Record</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {(data?.items ?? []).map((entry) => (
              <AuditRow key={entry.seq} entry={entry} />
            ))}
          </tbody>
        </table>
      </div>
      {data !== undefined && data.total === 0 && (
        <p className="muted" data-testid="audit-empty">
          No rows match these filters.
        </p>
      )}
      {data !== undefined && (
        <Pager
          page={data.page}
          limit={data.limit}
          total={data.total}
          totalPages={data.totalPages}
          noun={['row', 'rows']}
          onPage={(next) => setPage(clampPage(next, data.totalPages))}
          onLimit={(next) => {
            setLimit(next);
            setPage(1);
          }}
          testId="audit-pager"
        />
      )}
    </section>
  );
}
