import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { SyncService } from './sync-service.js';

type SyncMethods =
  | 'sync.status'
  | 'sync.items'
  | 'sync.configure'
  | 'sync.retry'
  | 'sync.pause'
  | 'sync.resume'
  | 'sync.run'
  | 'sync.pauseDestination';

/** The outbox sync's state and controls; every change of it is audited. */
export function createSyncHandlers(deps: {
  sync: SyncService;
  record: CallAuditor;
}): HandlerMap<SyncMethods> {
  const { sync, record } = deps;
  return {
    'sync.status': () => sync.status(),
    'sync.items': (input) => sync.items(input),
    'sync.configure': (input, call) => {
      const status = sync.configure(input);
      record(call, 'sync.configure', null, { ...input });
      return status;
    },
    'sync.retry': (input, call) => {
      const retried = sync.retry(input);
      record(call, 'sync.retry', input.itemId === undefined ? null : String(input.itemId), {
        ...input,
        retried,
      });
      return { retried };
    },
    'sync.pause': (_input, call) => {
      const status = sync.setPaused(true);
      record(call, 'sync.pause', null);
      return status;
    },
    'sync.resume': (_input, call) => {
      const status = sync.setPaused(false);
      record(call, 'sync.resume', null);
      return status;
    },
    'sync.run': (_input, call) => {
      const status = sync.runNow();
      record(call, 'sync.run', null);
      return status;
    },
    'sync.pauseDestination': (input, call) => {
      const status = sync.setDestinationPaused(input.destinationId, input.paused);
      record(
        call,
        input.paused ? 'sync.pauseDestination' : 'sync.resumeDestination',
        input.destinationId,
      );
      return status;
    },
  };
}
