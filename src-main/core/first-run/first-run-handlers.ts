import type { CallAuditor } from '../audit/call-auditor.js';
import { actorOf } from '../auth/principal.js';
import type { GpuService } from '../gpu/gpu-service.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { FirstRunService } from './first-run-service.js';

type FirstRunMethods = 'firstRun.status' | 'firstRun.complete' | 'gpu.status' | 'gpu.check';

/** The first-run wizard and the GPU check it (and the Settings GPU panel) runs. */
export function createFirstRunHandlers(deps: {
  firstRun: FirstRunService;
  gpu: GpuService;
  record: CallAuditor;
}): HandlerMap<FirstRunMethods> {
  return {
    'firstRun.status': () => deps.firstRun.status(),
    'firstRun.complete': (input, call) => {
      const status = deps.firstRun.complete(actorOf(call.principal) ?? 'unknown', input.skipped);
      deps.record(call, 'firstRun.complete', null, { skipped: status.skipped });
      return status;
    },
    'gpu.status': () => deps.gpu.status(),
    'gpu.check': async (_input, call) => {
      const status = await deps.gpu.check();
      deps.record(call, 'gpu.check', null, {
        provider: status.last?.provider ?? null,
        reason: status.last?.reason ?? null,
      });
      return status;
    },
  };
}
