import { actorOf } from '../auth/principal.js';
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
  | 'sync.hub.receive'
  | 'sync.hub.records'
  | 'sync.hub.destinations'
  | 'sync.hub.save'
  | 'sync.hub.remove'
  | 'sync.hub.test'
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
    'sync.hub.receive': (input, call) => {
      const by = call.principal === null ? null : actorOf(call.principal);
      const answer = sync.receive(input, by);
      const counts = { applied: 0, duplicate: 0, conflict: 0 };
      for (const r of answer.records) counts[r.outcome]++;
      // One audit row per batch, not per record: the versions themselves are the hub's record.
      if (counts.applied + counts.conflict + answer.audit.stored > 0)
        record(call, 'sync.hub.receive', input.origin, { ...counts, audit: answer.audit.stored });
      return answer;
    },
    'sync.hub.records': (input) => sync.hubRecords(input),
    'sync.hub.destinations': () => sync.hubDestinations(),
    'sync.hub.save': async (input, call) => {
      const status = await sync.saveHub(input);
      const { password: _secret, caPem, ...shown } = input;
      record(call, 'sync.hub.save', input.id, { ...shown, pinnedCa: caPem !== null });
      return status;
    },
    'sync.hub.remove': async (input, call) => {
      const status = await sync.removeHub(input.id);
      record(call, 'sync.hub.remove', input.id);
      return status;
    },
    'sync.hub.test': async (input, call) => {
      const result = await sync.testHub(input.id);
      record(call, 'sync.hub.test', input.id, { ok: result.ok });
      return result;
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
