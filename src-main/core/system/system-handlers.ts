import type { Health } from '../../../src-shared/contract/entities.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { Clock } from '../platform/clock.js';
import type { DashboardRepo } from './dashboard-repo.js';

type SystemMethods = 'system.health' | 'system.info' | 'dashboard.stats';

/** The state of the installation: health, version and limits, and the dashboard's figures. */
export function createSystemHandlers(deps: {
  health: () => Health;
  info: {
    version: string;
    dataDir: string;
    maxFileBytes: number;
    executionProvider: () => string;
    /** Why the GPU is not used (technical; kept out of analysis headlines); null when it is. */
    executionProviderNote: () => string | null;
  };
  dashboard: DashboardRepo;
  clock: Clock;
}): HandlerMap<SystemMethods> {
  return {
    'system.health': () => deps.health(),
    'system.info': () => ({
      version: deps.info.version,
      dataDir: deps.info.dataDir,
      maxFileBytes: deps.info.maxFileBytes,
      executionProvider: deps.info.executionProvider(),
      executionProviderNote: deps.info.executionProviderNote(),
    }),
    'dashboard.stats': (input) => deps.dashboard.stats(deps.clock.now(), input.timeZone),
  };
}
