import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { VisualizationService } from '../visualizations/visualization-service.js';
import type { StreamHandlers } from './stream-types.js';

/** A stored 3D scene as its self-contained HTML file (UI download, CLI, REST). */
export function createVisualizationStreamHandlers(deps: {
  visualizations: VisualizationService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'visualizations.html'> {
  return {
    'visualizations.html': async ({ id }, call) => {
      const { visualization, data } = await deps.visualizations.html(id);
      // The scene leaves the app here (it carries the tumour's shape and size): an export.
      deps.record(call, 'visualizations.export', visualization.scanId, {
        visualizationId: visualization.id,
        size: data.byteLength,
      });
      return {
        description: { fileName: visualization.fileName, size: data.byteLength },
        data,
        filename: visualization.fileName,
      };
    },
  };
}
