import type { Scan } from '../../../src-shared/contract/entities.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../platform/clock.js';
import type { ScansRepo } from './scans-repo.js';

export type ScanStatus = Scan['status'];

/**
 * The one owner of a scan's status. A scan is 'imported' when its row is created (scans-repo
 * insert); after that only this module changes the status: analysis start ('processing'),
 * its end ('completed', 'failed') and a cancelled analysis (back to 'imported'). Each change
 * is a clinical write (audited under the user who started the analysis) and is announced.
 */
export function createScanStatus(deps: {
  scans: ScansRepo;
  writer: ClinicalWriter;
  events: EventBus;
  clock: Clock;
}) {
  return {
    /** Sets the status; inside a caller's transaction it commits or rolls back with it. */
    set(scanId: string, status: ScanStatus, actor: string | null): void {
      deps.writer.write(actor, 'scans.status', () => {
        const changed = deps.scans.setStatus(scanId, status, deps.clock.iso());
        return {
          result: undefined,
          target: scanId,
          details: { status },
          changes: changed
            ? [{ entity: 'scan', id: scanId, op: 'update', payload: { id: scanId, status } }]
            : [],
        };
      });
      deps.events.emit('scans.changed', { scanIds: [scanId], change: 'updated' });
    },
  };
}
export type ScanStatusOwner = ReturnType<typeof createScanStatus>;
