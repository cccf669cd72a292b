import { useEffect, useState } from 'react';
import type { EncryptionStatus } from '../../../../src-shared/contract/encryption.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

/**
 * Encryption at rest, for administrators: whether the data folder is encrypted, where its key
 * is kept, and the recovery key, shown until an admin confirms it is written down (then never
 * again). docs/encryption.md.
 */
export function EncryptionPanel() {
  const api = useApi();
  const [status, setStatus] = useState<EncryptionStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    api
      .call('encryption.status', {})
      .then((first) => isCurrent && setStatus(first))
      .catch((failure: unknown) => isCurrent && setError(errorMessage(failure)));
    return () => {
      isCurrent = false;
    };
  }, [api]);

  async function confirm(): Promise<void> {
    setError(null);
    try {
      setStatus(await api.call('encryption.confirmRecoveryKey', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <section className="panel" aria-labelledby="encryption-title" data-testid="encryption-panel">
      <h3 id="encryption-title" className="panel-header">
        Encryption at rest
      </h3>
      <ErrorMessage message={error} />
      <dl className="facts">
        <dt>Data folder</dt>
        <dd data-testid="encryption-state">
          {status === null
            ? '…'
            : status.enabled
              ? 'Encrypted: the database and every stored file are unreadable without the key.'
              : 'Not encrypted (created before encryption, or with NEUROSPHERE_ENCRYPTION=off).'}
        </dd>
        {status?.enabled === true && (
          <>
            <dt>Ciphers</dt>
            <dd>
              {status.database}; files: {status.blobs}
            </dd>
            <dt>Key kept in</dt>
            <dd data-testid="encryption-key-source">{status.keySource}</dd>
            <dt>Recovery key</dt>
            <dd data-testid="encryption-recovery-state">
              {status.recoveryKey === null
                ? 'Written down (confirmed by an administrator).'
                : 'Not yet confirmed: see below.'}
            </dd>
          </>
        )}
      </dl>
      {status !== null && status.recoveryKey !== null && (
        <div className="notice" data-testid="recovery-key-notice">
          <p>
            Write this recovery key down and keep it away from this computer. If the key in the
            keychain is lost (a reinstalled system, another machine), it is the only way to open the
            data: <span className="mono">neurosphere encryption recover</span>. It is shown until
            you confirm, then never again.
          </p>
          <p className="mono" data-testid="recovery-key">
            {status.recoveryKey}
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => void confirm()}
            data-testid="recovery-key-confirm"
          >
            I have written it down
          </button>
        </div>
      )}
    </section>
  );
}
