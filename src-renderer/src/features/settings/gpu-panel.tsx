import { useEffect, useState } from 'react';
import type { GpuStatus } from '../../../../src-shared/contract/gpu.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';

const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  cuda: 'GPU (NVIDIA CUDA)',
  dml: 'GPU (DirectML)',
  cpu: 'CPU',
};

/**
 * The GPU check: whether analyses can run on the graphics card here, on which device, and why
 * not when they run on the CPU. Administrators run it (the first-run wizard runs it by itself).
 */
export function GpuPanel({ checkOnOpen = false }: { checkOnOpen?: boolean }) {
  const api = useApi();
  const canCheck = useCan('settings.write');
  const [status, setStatus] = useState<GpuStatus | null>(null);
  const [isChecking, setIsChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function check(): Promise<void> {
    setIsChecking(true);
    setError(null);
    try {
      setStatus(await api.call('gpu.check', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsChecking(false);
    }
  }

  useEffect(() => {
    let isCurrent = true;
    api.call('gpu.status', {}).then(
      (first) => {
        if (!isCurrent) return;
        setStatus(first);
        if (checkOnOpen && canCheck && first.last === null) void check();
      },
      (failure: unknown) => isCurrent && setError(errorMessage(failure)),
    );
    return () => {
      isCurrent = false;
    };
    // check is stable enough: it only calls the api and sets state.
  }, [api, checkOnOpen, canCheck]);

  const last = status?.last ?? null;
  return (
    <section className="panel" aria-labelledby="gpu-title" data-testid="gpu-panel">
      <h3 id="gpu-title" className="panel-header">
        GPU check
      </h3>
      <dl className="facts">
        <dt>Analyses run on</dt>
        <dd data-testid="gpu-provider" data-provider={last?.provider ?? ''}>
          {isChecking
            ? 'Checking…'
            : last === null
              ? 'Not checked yet'
              : (PROVIDER_LABELS[last.provider] ?? last.provider)}
        </dd>
        <dt>Graphics card</dt>
        <dd data-testid="gpu-device">{last?.device ?? (last === null ? '…' : 'None found')}</dd>
        {last !== null && last.reason !== null && (
          <>
            <dt>Why not the GPU</dt>
            <dd data-testid="gpu-reason">{last.reason}</dd>
          </>
        )}
        <dt>Setting</dt>
        <dd className="muted">
          NEUROSPHERE_EXECUTION_PROVIDER={status?.preference ?? '…'}
          {last !== null && ` · checked ${formatDate(last.checkedAt)} (${last.ms} ms)`}
        </dd>
      </dl>
      <ErrorMessage message={error} />
      {canCheck && (
        <div className="toolbar">
          <button
            type="button"
            className="button"
            disabled={isChecking}
            onClick={() => void check()}
            data-testid="gpu-check"
          >
            {isChecking ? 'Checking…' : 'Check again'}
          </button>
        </div>
      )}
    </section>
  );
}
