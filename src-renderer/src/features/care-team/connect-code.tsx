import { useState } from 'react';
import type { CareLink, ConnectCode } from '../../../../src-shared/contract/care-team.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { CopyButton } from './copy-button.js';

/** Makes a one-time connect code for the other side to enter, and shows it with its expiry. */
export function ShowConnectCode(props: { title: string; explanation: string }) {
  const api = useApi();
  const [made, setMade] = useState<ConnectCode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function make(): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      setMade(await api.call('careTeam.createCode', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="show-code-title" data-testid="show-connect-code">
      <h3 id="show-code-title" className="panel-header">
        {props.title}
      </h3>
      <p className="muted small-note">{props.explanation}</p>
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={isBusy}
          onClick={() => void make()}
          data-testid="connect-code-create"
        >
          {made === null ? 'Show a connect code' : 'Show a new code'}
        </button>
      </div>
      {made !== null && (
        <div className="notice" role="status">
          <p className="toolbar">
            <code className="mono" data-testid="connect-code">
              {made.code}
            </code>
            <CopyButton text={made.code} label="Copy code" testId="connect-code-copy" />
          </p>
          <p className="muted small-note">Works once, until {formatDate(made.expiresAt)}.</p>
        </div>
      )}
      <ErrorMessage message={error} />
    </section>
  );
}

/** Enters the other side's connect code. */
export function EnterConnectCode(props: {
  title: string;
  explanation: string;
  onConnected: (link: CareLink) => void;
}) {
  const api = useApi();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function connect(): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      const link = await api.call('careTeam.connect', { code: code.trim() });
      setCode('');
      props.onConnected(link);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="enter-code-title" data-testid="enter-connect-code">
      <h3 id="enter-code-title" className="panel-header">
        {props.title}
      </h3>
      <p className="muted small-note">{props.explanation}</p>
      <form
        className="account-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim() !== '') void connect();
        }}
      >
        <label className="field">
          <span>Connect code</span>
          <input
            value={code}
            maxLength={40}
            autoComplete="off"
            placeholder="e.g. K7QX2-MP9RD"
            onChange={(e) => setCode(e.target.value)}
            data-testid="connect-code-input"
          />
        </label>
        <ErrorMessage message={error} />
        <div className="toolbar">
          <button
            type="submit"
            className="button primary"
            disabled={isBusy || code.trim() === ''}
            data-testid="connect-code-submit"
          >
            Connect
          </button>
        </div>
      </form>
    </section>
  );
}
