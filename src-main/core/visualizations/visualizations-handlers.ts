import type { CallAuditor } from '../audit/call-auditor.js';
import { actorOf } from '../auth/principal.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { VisualizationService } from './visualization-service.js';

type VisualizationMethods = 'visualizations.create' | 'visualizations.list' | 'visualizations.get';

/** The HTML scene methods; the file itself is the `visualizations.html` stream. */
export function createVisualizationsHandlers(deps: {
  visualizations: VisualizationService;
  record: CallAuditor;
}): HandlerMap<VisualizationMethods> {
  return {
    'visualizations.create': (input, call) => {
      const visualization = deps.visualizations.create(input, actorOf(call.principal));
      deps.record(call, 'visualizations.create', input.scanId, {
        visualizationId: visualization.id,
        jobId: visualization.jobId,
        quality: visualization.quality,
      });
      return visualization;
    },
    'visualizations.list': (input, call) => {
      const list = deps.visualizations.list(input.scanId);
      deps.record(call, 'visualizations.read', input.scanId);
      return list;
    },
    'visualizations.get': (input, call) => {
      const visualization = deps.visualizations.get(input.id);
      deps.record(call, 'visualizations.read', visualization.scanId, {
        visualizationId: visualization.id,
      });
      return visualization;
    },
  };
}
