import { useEffect, useState } from 'react';
import type { OnlineUpdateStatus } from '../../../../src-shared/contract/updates.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

const POLL_MS = 1000;
const BUSY: ReadonlySet<OnlineUpdateStatus['state']> = new Set([
  'checking',
  'downloading',
  'installing',
]);

const STATE_TEXT: Readonly<Record<OnlineUpdateStatus['state'], string>> = {
  idle: 'Not checked',
  checking: 'Checking…',
  'up-to-date': 'This is the newest version',
  available: 'A newer version is available',
  downloading: 'Downloading…',
  downloaded: 'Downloaded: ready to install',
  installing: 'Installing: Neurosphere restarts',
  failed: 'Failed',
};

/** Connected sites: the clinic's update server (electron-updater), used only on an admin's action. */
export function OnlineUpdatesSection() {
  const api = useApi();
  const [status, setStatus] = useState<OnlineUpdateStatus | null>(null);
  const [feed, setFeed] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.call('updates.online.status', {}).then(
      (first) => {
        setStatus(first);
        setFeed(first.feedUrl);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api]);

  const isBusy = status !== null && BUSY.has(status.state);
  useEffect(() => {
    if (!isBusy) return;
    const timer = setInterval(() => {
      api.call('updates.online.status', {}).then(setStatus, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, isBusy]);

  async function act(call: () => Promise<OnlineUpdateStatus>): Promise<void> {
    setError(null);
    try {
      setStatus(await call());
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function saveFeed(): Promise<void> {
    setError(null);
    setSaved(false);
    try {
      const stored = await api.call('updates.feed.set', { url: feed });
      setFeed(stored.url);
      setSaved(true);
      setStatus(await api.call('updates.online.status', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <fieldset className="backup-schedule" data-testid="online-updates">
      <legend>Connected updates (clinic update server)</legend>
      <div className="toolbar">
        <label className="field grow">
          <span>Update server (https://…, empty for none)</span>
          <input
            value={feed}
            placeholder="https://updates.clinic.example/neurosphere/"
            onChange={(e) => {
              setFeed(e.target.value);
              setSaved(false);
            }}
            data-testid="updates-feed"
          />
        </label>
        <button
          type="button"
          className="button"
          onClick={() => void saveFeed()}
          data-testid="updates-feed-save"
        >
          Save
        </button>
        {saved && (
          <span className="muted" role="status" data-testid="updates-feed-saved">
            Saved
          </span>
        )}
      </div>
      {status !== null && !status.isAvailable ? (
        <p className="muted" data-testid="online-updates-unavailable">
          Checking, downloading and installing from the update server work in the desktop app. In
          browser mode, update the server with an update bundle (above).
        </p>
      ) : (
        status !== null && (
          <div className="toolbar">
            <span data-testid="online-updates-state">
              {STATE_TEXT[status.state]}
              {status.version !== null && `: ${status.version}`}
              {status.percent !== null &&
                status.state === 'downloading' &&
                ` (${Math.round(status.percent)} %)`}
            </span>
            <span className="spacer" />
            <button
              type="button"
              className="button"
              disabled={isBusy || status.feedUrl === ''}
              onClick={() => void act(() => api.call('updates.online.check', {}))}
            >
              Check for updates
            </button>
            <button
              type="button"
              className="button"
              disabled={status.state !== 'available'}
              onClick={() => void act(() => api.call('updates.online.download', {}))}
            >
              Download
            </button>
            <button
              type="button"
              className="button primary"
              disabled={status.state !== 'downloaded'}
              onClick={() => void act(() => api.call('updates.online.install', {}))}
            >
              Install and restart
            </button>
          </div>
        )
      )}
      {status !== null && status.message !== null && <ErrorMessage message={status.message} />}
      <ErrorMessage message={error} />
    </fieldset>
  );
}
