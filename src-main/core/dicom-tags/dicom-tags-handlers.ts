import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { DicomTagsService } from './dicom-tags-service.js';

/** The tag browser: a read of patient data (the header holds it), audited as one. */
export function createDicomTagsHandlers(deps: {
  tags: DicomTagsService;
  record: CallAuditor;
}): HandlerMap<'scans.tags'> {
  return {
    'scans.tags': async (input, call) => {
      const tags = await deps.tags.tagsAt(input.scanId, input.frame);
      deps.record(call, 'scans.tags', input.scanId, { frame: input.frame });
      return tags;
    },
  };
}
