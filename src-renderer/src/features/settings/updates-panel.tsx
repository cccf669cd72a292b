import { useEffect, useState } from 'react';
import type {
  UpdateBundleSource,
  UpdateBundleStatus,
  VerifiedBundleInfo,
} from '../../../../src-shared/contract/updates.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { OnlineUpdatesSection } from './online-updates-section.js';

const POLL_MS = 500;

/**
 * Offline updates for administrators: a signed update bundle (installer, update.json and its
 * signature) from a USB stick, uploaded or read from a server folder; verified before anything
 * else, then its installer staged in the data folder with progress and cancel.
 */
export function UpdatesPanel() {
  const api = useApi();
  const [mode, setMode] = useState<'upload' | 'server-path'>('upload');
  const [files, setFiles] = useState<File[]>([]);
  const [path, setPath] = useState('');
  const [source, setSource] = useState<UpdateBundleSource | null>(null);
  const [verified, setVerified] = useState<VerifiedBundleInfo | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<UpdateBundleStatus | null>(null);

  useEffect(() => {
    api
      .call('updates.bundle.status', {})
      .then(setStatus)
      .catch(() => undefined);
  }, [api]);

  const isApplying = status?.phase === 'applying';
  useEffect(() => {
    if (!isApplying) return;
    const timer = setInterval(() => {
      api
        .call('updates.bundle.status', {})
        .then(setStatus)
        .catch((failure: unknown) => setRefusal(errorMessage(failure)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, isApplying]);

  /** Where the bundle is for the core: the uploaded files in a batch, or the server folder. */
  async function prepareSource(): Promise<UpdateBundleSource> {
    if (mode === 'server-path') return { kind: 'server-path', path: path.trim() };
    const batch = await api.call('uploads.begin', {});
    for (const file of files) {
      setBusy(`Uploading ${file.name}…`);
      await api.upload(batch.batchId, file.name, file);
    }
    return { kind: 'upload', batchId: batch.batchId };
  }

  async function verify(): Promise<void> {
    setRefusal(null);
    setVerified(null);
    setBusy('Checking the signature and the installer…');
    try {
      const next = await prepareSource();
      setSource(next);
      setBusy('Checking the signature and the installer…');
      setVerified(await api.call('updates.bundle.verify', { source: next }));
    } catch (failure) {
      setRefusal(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  }

  async function apply(): Promise<void> {
    if (source === null) return;
    setRefusal(null);
    try {
      setStatus(await api.call('updates.bundle.apply', { source }));
      setVerified(null);
      setSource(null);
    } catch (failure) {
      setRefusal(errorMessage(failure));
    }
  }

  async function cancel(): Promise<void> {
    try {
      setStatus(await api.call('updates.bundle.cancel', {}));
    } catch (failure) {
      setRefusal(errorMessage(failure));
    }
  }

  const canVerify =
    busy === null && !isApplying && (mode === 'upload' ? files.length > 0 : path.trim() !== '');
  return (
    <section className="panel" aria-labelledby="updates-title" data-testid="updates-panel">
      <h3 id="updates-title" className="panel-header">
        Updates
      </h3>
      <p className="muted">
        Choose an update bundle from the release (a folder with the installer, update.json and
        update.json.sig). It is checked against the Neurosphere release key before anything is
        copied; installing needs administrator rights on this computer and a closed app.
      </p>
      <fieldset className="toolbar" disabled={busy !== null || isApplying}>
        <label>
          <input
            type="radio"
            name="update-source"
            checked={mode === 'upload'}
            onChange={() => setMode('upload')}
            data-testid="updates-mode-upload"
          />{' '}
          Upload the bundle's three files
        </label>
        <label>
          <input
            type="radio"
            name="update-source"
            checked={mode === 'server-path'}
            onChange={() => setMode('server-path')}
            data-testid="updates-mode-path"
          />{' '}
          A folder on the machine that runs Neurosphere
        </label>
      </fieldset>
      <div className="toolbar">
        {mode === 'upload' ? (
          <input
            type="file"
            multiple
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
            data-testid="updates-files"
          />
        ) : (
          <label className="field grow">
            <span>Bundle folder (in browser mode, inside a folder allowed for import)</span>
            <input
              value={path}
              placeholder="/media/usb/neurosphere-0.2.0-linux or E:\neurosphere-0.2.0-win"
              onChange={(e) => setPath(e.target.value)}
              data-testid="updates-path"
            />
          </label>
        )}
        <button
          type="button"
          className="button"
          disabled={!canVerify}
          onClick={() => void verify()}
          data-testid="updates-verify"
        >
          Verify
        </button>
      </div>
      {busy !== null && (
        <p className="muted" role="status" data-testid="updates-busy">
          {busy}
        </p>
      )}
      {refusal !== null && (
        <div data-testid="updates-refusal">
          <ErrorMessage message={refusal} />
        </div>
      )}
      {verified !== null && (
        <div data-testid="updates-verified">
          <p>
            Genuine: Neurosphere <strong>{verified.version}</strong> (installed:{' '}
            {verified.installedVersion}), {verified.installerFile} for {verified.platform},{' '}
            {formatBytes(verified.size)}, signed with the release key.
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => void apply()}
            data-testid="updates-apply"
          >
            Apply: stage the installer
          </button>
        </div>
      )}
      {status !== null && status.phase !== 'idle' && (
        <div data-testid="updates-status" data-phase={status.phase}>
          {status.phase === 'applying' && (
            <div className="toolbar">
              <ProgressBar
                progress={status.totalBytes > 0 ? status.doneBytes / status.totalBytes : 0}
                status="processing"
                label="Applying the update"
                testId="updates-progress"
              />
              <button
                type="button"
                className="button"
                onClick={() => void cancel()}
                data-testid="updates-cancel"
              >
                Cancel
              </button>
            </div>
          )}
          {status.phase === 'staged' && (
            <div>
              <p>
                Neurosphere {status.bundle?.version} is verified and staged at{' '}
                <span className="mono">{status.stagedInstaller}</span>. Take a backup, then:
              </p>
              <ul>
                {status.nextSteps.map((line) => (
                  <li key={line} className="mono">
                    {line}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {(status.phase === 'failed' || status.phase === 'cancelled') && (
            <ErrorMessage message={status.message} />
          )}
        </div>
      )}
      <OnlineUpdatesSection />
    </section>
  );
}
