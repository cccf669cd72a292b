import type { ReactNode } from 'react';
import type { FirstRunStatus } from '../../../../src-shared/contract/first-run.js';
import { dataDirExplanation, type FirstRunStepId } from '../../../../src-shared/first-run.js';
import type { Route } from '../../app/routes.js';
import { BackupPanel } from '../settings/backup-panel.js';
import { ClinicSettingsPanel } from '../settings/clinic-settings.js';
import { GpuPanel } from '../settings/gpu-panel.js';

interface StepProps {
  readonly status: FirstRunStatus;
  readonly navigate: (route: Route) => void;
}

function AdminAccountStep({ status, navigate }: StepProps) {
  return (
    <section className="panel" data-testid="first-run-admin">
      <p>
        The administrator account{' '}
        <strong data-testid="first-run-admin-name">{status.adminUsername ?? '…'}</strong> was
        created on the setup screen, and you are logged in with it.
      </p>
      <p className="muted">
        Add the accounts of radiologists, technologists and others under Accounts; each gets only
        the rights of its role.
      </p>
      <button type="button" className="button" onClick={() => navigate({ page: 'accounts' })}>
        Open Accounts (the wizard opens again at the next login until it is finished)
      </button>
    </section>
  );
}

function DataFolderStep({ status }: StepProps) {
  return (
    <section className="panel" data-testid="first-run-data-folder">
      <dl className="facts">
        <dt>Data folder</dt>
        <dd className="mono" data-testid="first-run-data-dir">
          {status.dataDir}
        </dd>
        <dt>Chosen by</dt>
        <dd data-testid="first-run-data-dir-origin">{dataDirExplanation(status.dataDirOrigin)}</dd>
      </dl>
      <p className="muted">
        It holds the database, the stored images and results, the logs and staged updates.
        Installers and uninstallers never touch it; back it up (the last step).
      </p>
    </section>
  );
}

/**
 * One screen per step of src-shared/first-run.ts. A Record over the step ids: a step added to
 * the list without a screen here does not compile.
 */
export const STEP_SCREENS: Readonly<Record<FirstRunStepId, (props: StepProps) => ReactNode>> = {
  'admin-account': AdminAccountStep,
  'data-folder': DataFolderStep,
  clinic: () => <ClinicSettingsPanel />,
  gpu: () => <GpuPanel checkOnOpen />,
  backup: () => <BackupPanel />,
};
