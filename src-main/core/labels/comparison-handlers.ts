import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { SegmentationComparisonService } from './segmentation-comparison.js';

/** Comparing the AI mask with an expert segmentation: a read of the scan's data, audited. */
export function createComparisonHandlers(deps: {
  comparison: SegmentationComparisonService;
  record: CallAuditor;
}): HandlerMap<'analysis.compareSegmentation'> {
  return {
    'analysis.compareSegmentation': async (input, call) => {
      const result = await deps.comparison.compare(input.scanId, input.segmentationId);
      deps.record(call, 'analysis.compareSegmentation', input.scanId, {
        segmentationId: input.segmentationId,
      });
      return result;
    },
  };
}
