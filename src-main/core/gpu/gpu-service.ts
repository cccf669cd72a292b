import { arch as osArch } from 'node:os';
import { gpuCheckSchema, type GpuCheck, type GpuStatus } from '../../../src-shared/contract/gpu.js';
import type { InferenceEngine } from '../inference/inference-engine.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { SettingsRepo } from '../system/settings-repo.js';
import { explainGpuCheck, gpuProviderOf } from './gpu-check.js';
import {
  detectGpuDevice,
  missingProviderFiles,
  onnxRuntimeBinDir,
  type GpuDevice,
} from './gpu-device.js';
import { TINY_MODEL_FEED, tinyModel } from './tiny-model.js';

const LAST_CHECK = 'gpu.lastCheck';

/**
 * The GPU check of the first-run wizard, the Settings GPU panel and health: one check at a time,
 * its last result kept in the site settings so it is known after a restart.
 */
export function createGpuService(deps: {
  engine: Pick<InferenceEngine, 'probe' | 'preference'>;
  settings: SettingsRepo;
  clock: Clock;
  logger: Logger;
  platform?: NodeJS.Platform;
  detectDevice?: (platform: NodeJS.Platform) => Promise<GpuDevice>;
}) {
  const platform = deps.platform ?? process.platform;
  const detectDevice = deps.detectDevice ?? detectGpuDevice;
  let running: Promise<GpuCheck> | null = null;

  function last(): GpuCheck | null {
    const stored = deps.settings.get(LAST_CHECK);
    if (stored === undefined) return null;
    try {
      return gpuCheckSchema.safeParse(JSON.parse(stored)).data ?? null;
    } catch {
      return null;
    }
  }

  async function runCheck(): Promise<GpuCheck> {
    const provider = gpuProviderOf(platform);
    const [device, probe] = await Promise.all([
      detectDevice(platform),
      provider === null
        ? Promise.resolve(null)
        : deps.engine.probe(provider, tinyModel(), {
            inputName: TINY_MODEL_FEED.inputName,
            dims: [...TINY_MODEL_FEED.dims],
          }),
    ]);
    const result = explainGpuCheck({
      platform,
      preference: deps.engine.preference(),
      device,
      missingFiles: missingProviderFiles(platform, onnxRuntimeBinDir(platform, osArch())),
      probe,
      checkedAt: deps.clock.iso(),
    });
    deps.settings.set(LAST_CHECK, JSON.stringify(result), result.checkedAt);
    deps.logger.info('gpu check', { provider: result.provider, reason: result.reason });
    return result;
  }

  function status(): GpuStatus {
    return { preference: deps.engine.preference(), last: last(), isChecking: running !== null };
  }

  return {
    status,
    last,
    /** Runs the check (or waits for the one running) and answers the new status. */
    async check(): Promise<GpuStatus> {
      running ??= runCheck().finally(() => {
        running = null;
      });
      await running;
      return status();
    },
    /** Resolves when a running check has ended (closing the core waits for it). */
    whenIdle: async (): Promise<void> => {
      await running?.catch(() => undefined);
    },
  };
}
export type GpuService = ReturnType<typeof createGpuService>;
