import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { WorklistRepo } from './worklist-repo.js';

type WorklistMethods = 'worklist.list' | 'worklist.scanLabels';

/** The study-centred worklist and the names of scans for job lists and import summaries. */
export function createWorklistHandlers(deps: {
  worklist: WorklistRepo;
  record: CallAuditor;
}): HandlerMap<WorklistMethods> {
  const { worklist, record } = deps;
  return {
    'worklist.list': (input, call) => {
      record(call, 'worklist.list', null, {
        searched: (input.search ?? '') !== '',
        modality: input.modality ?? null,
        result: input.result ?? null,
        report: input.report ?? null,
      });
      return worklist.list(input);
    },
    'worklist.scanLabels': (input, call) => {
      record(call, 'worklist.scanLabels', null, { scans: input.ids.length });
      return worklist.labels(input.ids);
    },
  };
}
