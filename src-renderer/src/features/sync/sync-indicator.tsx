import { useCan } from '../../app/use-permission.js';
import { hashFor } from '../../app/routes.js';
import { syncSummary, useSyncStatus } from './use-sync-status.js';

/** The header's sync state: online or offline, items waiting; last success and error on hover. */
export function SyncIndicator() {
  const isAllowed = useCan('system.read');
  const { status } = useSyncStatus(isAllowed);
  if (!isAllowed || status === null) return null;
  const summary = syncSummary(status);
  const last = status.destinations
    .map(
      (d) =>
        `${d.name}: last success ${d.lastSuccessAt ?? 'never'}` +
        (d.lastError === null ? '' : `; last error ${d.lastError}`),
    )
    .join('\n');
  return (
    <a
      href={hashFor({ page: 'sync' })}
      className={`sync-indicator sync-${summary.tone}`}
      data-testid="sync-indicator"
      title={last === '' ? 'No PACS destination syncs.' : last}
    >
      {summary.text}
    </a>
  );
}
