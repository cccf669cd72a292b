import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { newestOf } from './report-logic.js';

/**
 * The scan page's way to its report: opens the newest version, or starts the draft when there
 * is none yet (from the latest analysis). Says why when neither can happen.
 */
export function ReportButton(props: {
  scanId: string;
  hasAnalysis: boolean;
  navigate: (route: Route) => void;
}) {
  const api = useApi();
  const canWrite = useCan('reports.write');
  const versions = useAsync(
    () => api.call('reports.listForScan', { scanId: props.scanId }),
    [api, props.scanId],
  );
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const newest = newestOf(versions.data ?? []);

  const reason =
    versions.data === undefined
      ? 'Looking for the report…'
      : newest !== undefined
        ? null
        : !props.hasAnalysis
          ? 'No report yet: analyse the scan first.'
          : !canWrite
            ? 'No report yet: a radiologist writes it.'
            : null;

  async function open(): Promise<void> {
    if (newest !== undefined) {
      props.navigate({ page: 'report', id: newest.id });
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const draft = await api.call('reports.create', { scanId: props.scanId });
      props.navigate({ page: 'report', id: draft.id });
    } catch (failure) {
      setError(errorMessage(failure));
      versions.reload();
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <>
      {error !== null && (
        <span className="row-error" role="alert" data-testid="report-open-error">
          {error}
        </span>
      )}
      <button
        type="button"
        className="button small primary"
        disabled={reason !== null || isBusy}
        title={reason ?? undefined}
        onClick={() => void open()}
        data-testid="scan-report"
        data-report-status={newest?.status ?? 'none'}
      >
        {newest === undefined
          ? 'Write report'
          : `Report v${newest.version} (${newest.status === 'final' ? 'signed' : 'draft'})`}
      </button>
    </>
  );
}
