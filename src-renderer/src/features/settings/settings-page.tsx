import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes } from '../../ui/format.js';
import { useCan } from '../../app/use-permission.js';
import { BackupPanel } from './backup-panel.js';
import { ClinicSettingsPanel } from './clinic-settings.js';
import { InstallationPanels } from './installation-panels.js';
import { DicomNodePanel } from './dicom-node-panel.js';
import { ImportRootsPanel } from './import-roots-panel.js';
import { EncryptionPanel } from './encryption-panel.js';
import { BUNDLED_COMPONENTS } from './licences.js';

/** "unknown" until a model has run: the provider is only known once a session was created. */
function providerText(provider: string | undefined, modelCount: number): string {
  if (provider === undefined) return '…';
  if (provider === 'unknown' || provider === '')
    return modelCount === 0
      ? 'Unknown: no analysis model is installed yet'
      : 'Unknown until the first analysis runs';
  return provider.toUpperCase();
}

/** Settings and About: where the data lives, which version runs, what is inside. */
export function SettingsPage() {
  const api = useApi();
  const info = useAsync(() => api.call('system.info', {}), [api]);
  const health = useAsync(() => api.call('system.health', {}), [api]);
  const modelList = useAsync(() => api.call('models.list', {}), [api]);
  const models = (modelList.data ?? []).filter((model) => model.usable);
  const canReadReports = useCan('reports.read');
  const canAdminister = useCan('settings.write');

  return (
    <section className="page-section" data-testid="settings-page" aria-labelledby="settings-title">
      <div className="toolbar">
        <h2 id="settings-title">Settings and About</h2>
      </div>
      <ErrorMessage message={info.error ?? health.error ?? modelList.error} />
      <section className="panel" aria-labelledby="about-title">
        <h3 id="about-title" className="panel-header">
          Neurosphere
        </h3>
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="about-version">{info.data?.version ?? '…'}</dd>
          <dt>Data folder</dt>
          <dd className="mono" data-testid="about-data-dir">
            {info.data?.dataDir ?? '…'}
          </dd>
          <dt>Largest file accepted</dt>
          <dd>{info.data === undefined ? '…' : formatBytes(info.data.maxFileBytes)}</dd>
          <dt>Execution provider</dt>
          <dd data-testid="about-provider">
            {providerText(info.data?.executionProvider, models.length)}
            {/* Why the GPU is not used: technical, so here rather than in analysis results. */}
            {typeof info.data?.executionProviderNote === 'string' && (
              <p className="muted small-note" data-testid="about-provider-note">
                {info.data.executionProviderNote}
              </p>
            )}
          </dd>
          <dt>Analysis models</dt>
          <dd data-testid="about-models">
            {modelList.data === undefined ? (
              '…'
            ) : modelList.data.length === 0 ? (
              'None installed: tumour detection is not available yet.'
            ) : (
              <ul className="plain-list">
                {modelList.data.map((model) => (
                  <li key={model.id}>
                    {model.id} {model.version} ({model.task})
                    {!model.usable && (
                      <span className="row-error"> · {model.problem ?? 'not usable'}</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Database</dt>
          <dd>
            {health.data === undefined
              ? '…'
              : `${health.data.database.status === 'ok' ? 'OK' : 'Error'} (schema ${health.data.database.schemaVersion})`}
          </dd>
        </dl>
        <p className="muted disclaimer">
          Research and decision support only. Neurosphere is not a medical device and does not
          diagnose.
        </p>
      </section>
      {canReadReports && <ClinicSettingsPanel />}
      {canAdminister && <BackupPanel />}
      <InstallationPanels />
      {canAdminister && <ImportRootsPanel />}
      {canAdminister && <DicomNodePanel />}
      {canAdminister && <EncryptionPanel />}
      <section className="panel" aria-labelledby="licences-title">
        <h3 id="licences-title" className="panel-header">
          Licences of bundled components
        </h3>
        <div className="table-wrap">
          <table className="table compact" data-testid="licences-table">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Version</th>
                <th scope="col">Licence</th>
                <th scope="col">Used for</th>
              </tr>
            </thead>
            <tbody>
              {BUNDLED_COMPONENTS.map((component) => (
                <tr key={component.name}>
                  <td className="mono">{component.name}</td>
                  <td className="numeric">{component.version}</td>
                  <td>{component.licence}</td>
                  <td className="muted">{component.purpose}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}
