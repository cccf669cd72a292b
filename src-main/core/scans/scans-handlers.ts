import type { CallAuditor } from '../audit/call-auditor.js';
import { createReadCoalescer } from '../audit/read-coalescer.js';
import type { Clock } from '../platform/clock.js';
import { actorOf } from '../auth/principal.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { ScanService } from './scan-service.js';

type ScanMethods =
  | 'studies.list'
  | 'scans.list'
  | 'scans.get'
  | 'scans.delete'
  | 'images.frameInfo'
  | 'scans.listWithAnalyses';

/** Studies, scans and their frames. Reads are audited here; deletion by the clinical writer. */
export function createScansHandlers(deps: {
  scans: ScanService;
  frames: FrameService;
  record: CallAuditor;
  clock: Clock;
}): HandlerMap<ScanMethods> {
  const { scans, record } = deps;
  // Asked per frame as the viewer scrolls: coalesced like frame reads (read-coalescer.ts).
  const frameInfoReads = createReadCoalescer(deps.clock);
  return {
    'studies.list': (input, call) => {
      record(call, 'studies.list', input.patientId);
      return scans.studiesOfPatient(input.patientId);
    },
    'scans.list': (input, call) => {
      record(call, 'scans.list', null, {
        status: input.status ?? null,
        searched: (input.search ?? '') !== '',
      });
      return scans.list(input);
    },
    // One audit entry for the page, naming every scan whose analysis it showed (asking
    // analysis.get per scan wrote one entry each).
    'scans.listWithAnalyses': (input, call) => {
      const page = scans.listWithAnalyses(input);
      record(call, 'scans.list', null, {
        status: input.status ?? null,
        searched: (input.search ?? '') !== '',
        withAnalyses: page.items.map((item) => item.scan.id),
      });
      return page;
    },
    'scans.get': (input, call) => {
      const detail = scans.detail(input.id);
      record(call, 'scans.read', input.id);
      return detail;
    },
    'scans.delete': async (input, call) => ({
      deleted: await scans.remove(input.id, actorOf(call.principal)),
    }),
    // Not audited per frame: a viewer reads hundreds while scrolling; opening the scan
    // (scans.get) is the audited read.
    'images.frameInfo': async (input, call) => {
      const info = await deps.frames.getFrameInfo(input.scanId, input.index);
      if (frameInfoReads.shouldAudit(call, input.scanId))
        record(call, 'frames.info', input.scanId, { index: input.index });
      return info;
    },
  };
}
