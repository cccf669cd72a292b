import { useEffect, useState } from 'react';
import type {
  DicomNodeSettings,
  DicomNodeStatus,
} from '../../../../src-shared/contract/dicom-node.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { DicomDestinationsPanel } from './dicom-destinations-panel.js';

/** How often the listener's state is read while the panel is open. */
const STATUS_POLL_MS = 5000;

/** A list typed as text: one entry per line or comma. */
function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function statusText(status: DicomNodeStatus, node: DicomNodeSettings): string {
  if (status.listening)
    return `Listening as ${node.aeTitle} on port ${status.port ?? node.port} · received ${status.received}, duplicates ${status.duplicates}, refused ${status.rejected}${status.lastReceivedAt === null ? '' : ` · last ${formatDate(status.lastReceivedAt)}`}`;
  if (status.error !== null) return status.error;
  return node.enabled ? 'Starting…' : 'Off: modalities cannot send to this workstation.';
}

/**
 * The DICOM node for administrators: the C-STORE listener modalities and the PACS send to (AE
 * title, port, who may send), started or stopped as soon as it is saved, and the PACS
 * destinations with a C-ECHO "Test connection".
 */
export function DicomNodePanel() {
  const api = useApi();
  const [node, setNode] = useState<DicomNodeSettings | null>(null);
  const [status, setStatus] = useState<DicomNodeStatus | null>(null);
  const [callers, setCallers] = useState('');
  const [hosts, setHosts] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  async function load(): Promise<void> {
    const loaded = await api.call('dicom.node.get', {});
    setNode(loaded.node);
    setStatus(loaded.status);
    setCallers(loaded.node.allowedCallers.join('\n'));
    setHosts(loaded.node.allowedHosts.join('\n'));
  }

  useEffect(() => {
    load().catch((failure: unknown) => setError(errorMessage(failure)));
  }, [api]);

  // The listener's state and counts move as modalities send: read again every few seconds.
  useEffect(() => {
    const timer = setInterval(() => {
      api.call('dicom.node.get', {}).then(
        (loaded) => setStatus(loaded.status),
        () => undefined,
      );
    }, STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [api]);

  async function save(): Promise<void> {
    if (node === null) return;
    setIsSaving(true);
    setError(null);
    setNotice(null);
    try {
      await api.call('dicom.node.update', {
        ...node,
        allowedCallers: listOf(callers),
        allowedHosts: listOf(hosts),
      });
      const after = await api.call('dicom.node.get', {});
      setStatus(after.status);
      setNotice(
        after.node.enabled
          ? after.status.listening
            ? 'Saved: the listener runs with these settings.'
            : 'Saved, but the listener could not start (see its state).'
          : 'Saved: the listener is off.',
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsSaving(false);
    }
  }

  const change = (changes: Partial<DicomNodeSettings>): void =>
    setNode((current) => (current === null ? current : { ...current, ...changes }));

  return (
    <section className="panel" aria-labelledby="dicom-node-title" data-testid="dicom-node-panel">
      <h3 id="dicom-node-title" className="panel-header">
        DICOM node
      </h3>
      <p className="muted small-note">
        Modalities and the PACS send studies to this workstation (C-STORE); what arrives is imported
        like files. The PACS must know this AE title, host and port.
      </p>
      <ErrorMessage message={error} />
      {notice !== null && (
        <p className="muted" role="status" data-testid="dicom-node-notice">
          {notice}
        </p>
      )}
      {node !== null && status !== null && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <dl className="facts">
            <dt>Listener</dt>
            <dd
              data-testid="dicom-node-status"
              className={!status.listening && status.error !== null ? 'row-error' : undefined}
            >
              {statusText(status, node)}
            </dd>
          </dl>
          <div className="toolbar">
            <label className="inline-field">
              <input
                type="checkbox"
                checked={node.enabled}
                onChange={(e) => change({ enabled: e.target.checked })}
                data-testid="dicom-node-enabled"
              />
              <span>Receive studies (C-STORE listener on)</span>
            </label>
          </div>
          <div className="toolbar">
            <label className="field">
              <span>AE title</span>
              <input
                value={node.aeTitle}
                maxLength={16}
                onChange={(e) => change({ aeTitle: e.target.value })}
                data-testid="dicom-node-ae"
              />
            </label>
            <label className="field">
              <span>Port</span>
              <input
                type="number"
                min={1}
                max={65535}
                value={node.port}
                onChange={(e) => change({ port: Number(e.target.value) })}
                data-testid="dicom-node-port"
              />
            </label>
            <label className="field">
              <span>Listen on (0.0.0.0: every network; 127.0.0.1: this machine)</span>
              <input
                value={node.bindAddress}
                onChange={(e) => change({ bindAddress: e.target.value })}
                data-testid="dicom-node-bind"
              />
            </label>
          </div>
          <div className="toolbar">
            <label className="field grow">
              <span>Allowed calling AE titles (one per line; none: any)</span>
              <textarea
                rows={3}
                value={callers}
                onChange={(e) => setCallers(e.target.value)}
                data-testid="dicom-node-callers"
              />
            </label>
            <label className="field grow">
              <span>Allowed sender IP addresses (one per line; none: any)</span>
              <textarea
                rows={3}
                value={hosts}
                onChange={(e) => setHosts(e.target.value)}
                data-testid="dicom-node-hosts"
              />
            </label>
          </div>
          <div className="toolbar">
            <button
              type="submit"
              className="button primary"
              disabled={isSaving}
              data-testid="dicom-node-save"
            >
              {isSaving ? 'Saving…' : 'Save DICOM node'}
            </button>
          </div>
        </form>
      )}
      <DicomDestinationsPanel />
    </section>
  );
}
