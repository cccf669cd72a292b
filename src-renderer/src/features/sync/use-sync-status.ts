import { useCallback, useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';

/** The sync's status, kept current from `sync.updated` events (and reloaded after a resync). */
export function useSyncStatus(isAllowed: boolean): {
  status: SyncStatus | null;
  error: string | null;
  reload: () => void;
} {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    if (!isAllowed) return;
    api.call('sync.status', {}).then(
      (next) => {
        setStatus(next);
        setError(null);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api, isAllowed]);
  useEffect(() => {
    if (!isAllowed) return;
    const stop = api.on('sync.updated', (event) => setStatus(event.status));
    const stopResync = api.onResync(reload);
    reload();
    return () => {
      stop();
      stopResync();
    };
  }, [api, isAllowed, reload]);
  return { status, error, reload };
}

/** One line for the header: off, paused, offline, waiting, or up to date. */
export function syncSummary(status: SyncStatus): { text: string; tone: 'ok' | 'warn' | 'muted' } {
  if (status.destinations.length === 0) return { text: 'Sync off', tone: 'muted' };
  const waiting = status.counts.pending + status.counts.sending;
  if (status.paused) return { text: `Sync paused · ${waiting} waiting`, tone: 'warn' };
  const offline = status.destinations.some((d) => d.online === false);
  if (offline) return { text: `PACS offline · ${waiting} waiting`, tone: 'warn' };
  if (status.counts.failed > 0)
    return { text: `Sync: ${status.counts.failed} failed`, tone: 'warn' };
  if (waiting > 0) return { text: `Syncing · ${waiting} waiting`, tone: 'ok' };
  return { text: 'Synced', tone: 'ok' };
}
