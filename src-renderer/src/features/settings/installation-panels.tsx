import { useCan } from '../../app/use-permission.js';
import { GpuPanel } from './gpu-panel.js';
import { UpdatesPanel } from './updates-panel.js';

/**
 * Settings' installation panels for administrators: the GPU check, updates, and the first-run
 * wizard again (everyone else sees the provider in About, and health carries the GPU check).
 */
export function InstallationPanels() {
  const canAdminister = useCan('settings.write');
  return (
    <>
      {canAdminister && <GpuPanel />}
      {canAdminister && <UpdatesPanel />}
      {canAdminister && (
        <section className="panel" aria-labelledby="first-run-again-title">
          <h3 id="first-run-again-title" className="panel-header">
            First-run wizard
          </h3>
          <p className="muted">
            The steps of the first start again: data folder, clinic name and logo, GPU check, backup
            location.
          </p>
          <a className="button" href="#/first-run" data-testid="first-run-reopen">
            Open the first-run wizard
          </a>
        </section>
      )}
    </>
  );
}
