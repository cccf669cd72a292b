import { useCallback, useEffect, useState } from 'react';
import type { SyncItem } from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { HubTestButton } from './hub-test-button.js';
import { SyncSettings } from './sync-settings.js';
import { useSyncStatus } from './use-sync-status.js';

const KIND_LABELS: Readonly<Record<SyncItem['kind'], string>> = {
  original: 'Original',
  segmentation: 'SEG',
  report: 'Report PDF',
  record: 'Record (hub)',
  audit: 'Audit row (hub)',
};

/** The outbox sync: each PACS destination's state, the controls, and every item with retry. */
export function SyncPage() {
  const api = useApi();
  const canManage = useCan('jobs.manage');
  const canConfigure = useCan('settings.write');
  const { status, error: statusError, reload } = useSyncStatus(true);
  const [items, setItems] = useState<SyncItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadItems = useCallback(() => {
    api
      .call('sync.items', { limit: 200 })
      .then(setItems, (failure: unknown) => setError(errorMessage(failure)));
  }, [api]);
  useEffect(loadItems, [loadItems]);
  useEventRefresh(['sync.updated'], loadItems, 300);

  const act = (run: () => Promise<unknown>): void => {
    setError(null);
    run().then(
      () => {
        reload();
        loadItems();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  };

  return (
    <section data-testid="sync-page">
      <h1>Sync to PACS</h1>
      <ErrorMessage message={error ?? statusError} />
      {status !== null && canConfigure && <SyncSettings status={status} onSaved={reload} />}
      {status !== null && status.destinations.length === 0 && (
        <EmptyState title="No PACS destination syncs yet." testId="sync-empty">
          An administrator chooses above what each PACS destination receives.
        </EmptyState>
      )}
      {status !== null && status.destinations.length > 0 && (
        <>
          <p data-testid="sync-state">
            {status.paused ? 'Paused.' : 'Active.'} {status.counts.pending + status.counts.sending}{' '}
            waiting, {status.counts.sent} sent, {status.counts.failed} failed
            {status.bandwidthKiBps === null ? '' : `; limit ${status.bandwidthKiBps} KiB/s`}.
          </p>
          <table className="table" data-testid="sync-destinations">
            <thead>
              <tr>
                <th>Destination</th>
                <th>State</th>
                <th>Waiting</th>
                <th>Last success</th>
                <th>Last error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {status.destinations.map((d) => (
                <tr key={d.destinationId} data-testid={`sync-destination-${d.destinationId}`}>
                  <td>
                    {d.name}
                    {d.kind === 'neurosphere' && (
                      <>
                        <span className="muted"> (Neurosphere hub)</span>
                        {canConfigure && <HubTestButton destinationId={d.destinationId} />}
                      </>
                    )}
                  </td>
                  <td data-testid="sync-online">
                    {d.online === null ? 'not tried yet' : d.online ? 'online' : 'offline'}
                    {d.paused && (
                      <span className="muted" data-testid="sync-destination-paused">
                        {' '}
                        · paused
                      </span>
                    )}
                  </td>
                  <td>{d.counts.pending + d.counts.sending}</td>
                  <td>{d.lastSuccessAt === null ? 'never' : formatDate(d.lastSuccessAt)}</td>
                  <td data-testid="sync-last-error">{d.lastError ?? '—'}</td>
                  <td>
                    {canManage && (
                      <button
                        type="button"
                        className="button small"
                        data-testid="sync-destination-pause"
                        onClick={() =>
                          act(() =>
                            api.call('sync.pauseDestination', {
                              destinationId: d.destinationId,
                              paused: !d.paused,
                            }),
                          )
                        }
                      >
                        {d.paused ? 'Resume' : 'Pause'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canManage && (
            <div className="toolbar">
              <button
                type="button"
                className="button"
                data-testid="sync-run"
                onClick={() => act(() => api.call('sync.run', {}))}
              >
                Send now
              </button>
              {status.paused ? (
                <button
                  type="button"
                  className="button"
                  data-testid="sync-resume"
                  onClick={() => act(() => api.call('sync.resume', {}))}
                >
                  Resume
                </button>
              ) : (
                <button
                  type="button"
                  className="button"
                  data-testid="sync-pause"
                  onClick={() => act(() => api.call('sync.pause', {}))}
                >
                  Pause
                </button>
              )}
              {status.counts.failed > 0 && (
                <button
                  type="button"
                  className="button"
                  data-testid="sync-retry-all"
                  onClick={() => act(() => api.call('sync.retry', {}))}
                >
                  Retry all failed
                </button>
              )}
            </div>
          )}
        </>
      )}
      {items !== null && items.length > 0 && (
        <table className="table" data-testid="sync-items">
          <thead>
            <tr>
              <th>What</th>
              <th>Kind</th>
              <th>State</th>
              <th>Tries</th>
              <th>Note</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="sync-item" data-state={item.state}>
                <td>{item.label}</td>
                <td>{KIND_LABELS[item.kind]}</td>
                <td data-testid="sync-item-state">{item.state}</td>
                <td>{item.attempts}</td>
                <td className="muted">{item.lastError ?? ''}</td>
                <td>
                  {canManage && item.state === 'failed' && (
                    <button
                      type="button"
                      className="button"
                      data-testid="sync-item-retry"
                      onClick={() => act(() => api.call('sync.retry', { itemId: item.id }))}
                    >
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
