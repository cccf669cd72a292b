import type { HandlerMap } from '../merge-handlers.js';
import type { BackupService } from './backup-service.js';

type BackupMethods = 'backup.status' | 'backup.run' | 'backup.cancel' | 'backup.setSchedule';

/** The admin screen's backup panel: status with progress, run now, cancel, the schedule. */
export function createBackupHandlers(deps: { backups: BackupService }): HandlerMap<BackupMethods> {
  return {
    'backup.status': () => deps.backups.status(),
    'backup.run': (input) => deps.backups.run(input.dir),
    'backup.cancel': () => deps.backups.cancel(),
    'backup.setSchedule': (input) => deps.backups.setSchedule(input),
  };
}
