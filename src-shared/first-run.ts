/**
 * The first-run wizard's steps, as data: the core answers their state, the renderer shows one
 * screen per id. A later feature adds a step by appending an entry here and a screen for its id
 * (the renderer's step table is a Record over FirstRunStepId, so a missing screen is a type error).
 */
export interface FirstRunStep {
  readonly id: string;
  readonly title: string;
  /** One sentence: what the admin decides or checks in this step, and why. */
  readonly purpose: string;
  /** A required step cannot be skipped: the wizard's Finish waits for it. */
  readonly isRequired: boolean;
}

export const FIRST_RUN_STEPS = [
  {
    id: 'admin-account',
    title: 'Administrator account',
    purpose:
      'The administrator account was created on the setup screen; other accounts are added under Accounts.',
    isRequired: true,
  },
  {
    id: 'data-folder',
    title: 'Data folder',
    purpose:
      'Where patients, scans, reports and the audit trail are stored on this machine: back this folder up.',
    isRequired: false,
  },
  {
    id: 'clinic',
    title: 'Clinic name and logo',
    purpose: 'Printed at the top of every report (PDF and DICOM).',
    isRequired: false,
  },
  {
    id: 'gpu',
    title: 'GPU check',
    purpose:
      'Whether analyses can run on a graphics card here, and why not when they run on the processor.',
    isRequired: false,
  },
  {
    id: 'backup',
    title: 'Backup location',
    purpose: 'Where scheduled backups go (e.g. a network share or a USB disk) and how often.',
    isRequired: false,
  },
] as const satisfies readonly FirstRunStep[];

export type FirstRunStepId = (typeof FIRST_RUN_STEPS)[number]['id'];
export const FIRST_RUN_STEP_IDS = FIRST_RUN_STEPS.map((step) => step.id) as FirstRunStepId[];

/** How the data folder was chosen when the app or server started (core/platform/data-dir.ts). */
export type DataDirOrigin = 'flag' | 'environment' | 'os-default';

/** What the data-folder step says about how the folder was chosen and how to move it. */
export function dataDirExplanation(origin: DataDirOrigin): string {
  switch (origin) {
    case 'flag':
      return (
        'Fixed by --data-dir on the command line that started Neurosphere (in browser mode, the ' +
        "server's). It cannot be changed from this screen: to move it, stop Neurosphere, move " +
        'the folder, and start it again with the new --data-dir.'
      );
    case 'environment':
      return (
        'Set by the NEUROSPHERE_DATA_DIR environment variable. To move it, stop Neurosphere, ' +
        'move the folder, and change the variable.'
      );
    case 'os-default':
      return (
        "The operating system's folder for application data of this account. To keep the data " +
        'elsewhere, stop Neurosphere, move the folder, and start it with --data-dir or ' +
        'NEUROSPHERE_DATA_DIR pointing to the new place.'
      );
  }
}
