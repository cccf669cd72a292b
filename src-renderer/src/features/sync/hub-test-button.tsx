import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';

/** "Test connection" of a Neurosphere hub destination: signs in there and shows its version. */
export function HubTestButton({ destinationId }: { destinationId: string }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const test = () => {
    setBusy(true);
    setResult(null);
    api
      .call('sync.hub.test', { id: destinationId })
      .then(
        (r) => setResult(r.message),
        (failure: unknown) => setResult(errorMessage(failure)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <>
      {' '}
      <button
        type="button"
        className="button"
        disabled={busy}
        data-testid={`sync-hub-test-${destinationId}`}
        onClick={test}
      >
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      {result !== null && (
        <span role="status" className="muted" data-testid="sync-hub-test-result">
          {' '}
          {result}
        </span>
      )}
    </>
  );
}
