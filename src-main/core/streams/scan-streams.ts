import { AppError } from '../../../src-shared/errors.js';
import type { AnalysisService } from '../analysis/analysis-service.js';
import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import { createReadCoalescer } from '../audit/read-coalescer.js';
import type { Clock } from '../platform/clock.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { LabelVolumeService } from '../labels/label-volumes.js';
import type { StreamHandlers } from './stream-types.js';

type ScanStreams = 'frames.read' | 'labels.read' | 'analysis.image' | 'labels.box';

/**
 * The viewer's reads of a scan: decoded frames, label volumes (whole, or only their labelled box
 * for the 3D view) and the analysis's pictures.
 */
export function createScanStreamHandlers(deps: {
  frames: FrameService;
  labels: LabelVolumeService;
  analysis: AnalysisService;
  record: AuditRecorder;
  clock: Clock;
}): Pick<StreamHandlers, ScanStreams> {
  const frameReads = createReadCoalescer(deps.clock);
  return {
    // Audited once per user and scan within a window, not per frame (read-coalescer.ts).
    'frames.read': async ({ scanId, index }, call) => {
      const frame = await deps.frames.getFrame(scanId, index);
      if (frameReads.shouldAudit(call, scanId)) deps.record(call, 'frames.read', scanId, { index });
      return { description: frame.info, data: new Uint8Array(frame.data) };
    },
    'labels.read': async ({ scanId, source }, call) => {
      const volume = await deps.labels.getVolume(scanId, source);
      deps.record(call, 'labels.read', scanId, { source });
      return { description: volume.info, data: volume.data };
    },
    'analysis.image': async ({ scanId, kind }, call) => {
      const outputs = await deps.analysis.outputs(scanId);
      const png = kind === 'heatmap' ? outputs.heatmapPng : outputs.overlayPng;
      // Only a classifier produces these pictures; a segmentation-only analysis has none.
      if (png === null) throw new AppError('NOT_FOUND', `This analysis has no ${kind} image.`);
      deps.record(call, 'analysis.read', scanId, { image: kind });
      return { data: png };
    },
    // The same labels as labels.read, fewer bytes: audited as the same read.
    'labels.box': async ({ scanId, source }, call) => {
      const box = await deps.labels.getBox(scanId, source);
      deps.record(call, 'labels.read', scanId, { source, box: true });
      return { description: box.info, data: box.data };
    },
  };
}
