import type {
  UpdateBundleStatus,
  VerifiedBundleInfo,
} from '../../../src-shared/contract/updates.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { stageUpdate, verifyUpdateBundle, type UpdateManifest } from './update-bundle.js';

const IDLE: UpdateBundleStatus = {
  phase: 'idle',
  bundle: null,
  doneBytes: 0,
  totalBytes: 0,
  message: null,
  stagedInstaller: null,
  nextSteps: [],
  updatedAt: null,
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

function infoOf(manifest: UpdateManifest, installedVersion: string): VerifiedBundleInfo {
  return {
    version: manifest.version,
    installedVersion,
    installerFile: manifest.installer.file,
    installerKind: manifest.installer.kind,
    platform: manifest.installer.platform,
    size: manifest.installer.size,
    sha256: manifest.installer.sha256,
    createdAt: manifest.createdAt,
  };
}

/**
 * Offline updates from the admin screen: verify a bundle (installs nothing), or apply it, which
 * verifies it again, copies the installer into `<data folder>/updates/<version>/` with progress
 * and cancel, and says what the admin runs next (the installer needs administrator rights and a
 * closed app, as with `neurosphere update apply`). One at a time.
 */
export function createUpdateService(deps: {
  dataDir: string;
  currentVersion: string;
  publicKeyPem: string;
  platform: NodeJS.Platform;
  clock: Clock;
  logger: Logger;
}) {
  let current: UpdateBundleStatus = IDLE;
  let controller: AbortController | null = null;
  let finished: Promise<void> = Promise.resolve();

  const base = { publicKeyPem: deps.publicKeyPem, currentVersion: deps.currentVersion };

  return {
    status: (): UpdateBundleStatus => ({ ...current }),

    async verify(bundleDir: string): Promise<VerifiedBundleInfo> {
      const verified = await verifyUpdateBundle({ ...base, bundleDir });
      return infoOf(verified.manifest, deps.currentVersion);
    },

    /** Starts applying; `whenDone` is told the outcome (e.g. to discard an uploaded bundle). */
    apply(bundleDir: string, whenDone?: () => Promise<void>): UpdateBundleStatus {
      if (controller !== null)
        throw new AppError('CONFLICT', 'An update is already being applied; wait or cancel it.');
      const abort = new AbortController();
      controller = abort;
      current = { ...IDLE, phase: 'applying', updatedAt: deps.clock.iso() };
      const onBytes = (bytes: number): void => {
        current = { ...current, doneBytes: current.doneBytes + bytes };
      };
      finished = (async () => {
        try {
          // Read the signed manifest first, so that the progress knows the installer's size.
          const verified = await verifyUpdateBundle({ ...base, bundleDir });
          current = {
            ...current,
            bundle: infoOf(verified.manifest, deps.currentVersion),
            totalBytes: verified.manifest.installer.size * 2,
          };
          const staged = await stageUpdate({
            ...base,
            bundleDir,
            dataDir: deps.dataDir,
            platform: deps.platform,
            signal: abort.signal,
            onBytes,
          });
          current = {
            ...current,
            phase: 'staged',
            doneBytes: current.totalBytes,
            stagedInstaller: staged.stagedInstaller,
            nextSteps: staged.nextSteps,
            updatedAt: deps.clock.iso(),
          };
          deps.logger.info('update staged', {
            version: staged.manifest.version,
            installer: staged.stagedInstaller,
          });
        } catch (error) {
          const isCancelled = abort.signal.aborted;
          current = {
            ...current,
            phase: isCancelled ? 'cancelled' : 'failed',
            message: isCancelled
              ? 'Cancelled: the partly copied installer was removed. Nothing was installed.'
              : messageOf(error),
            updatedAt: deps.clock.iso(),
          };
          deps.logger.warn('update not applied', { error: current.message });
        } finally {
          controller = null;
          await whenDone?.().catch(() => undefined);
        }
      })();
      return { ...current };
    },

    cancel(): UpdateBundleStatus {
      if (controller === null) throw new AppError('CONFLICT', 'No update is being applied.');
      controller.abort();
      return { ...current };
    },

    /** Resolves when the update being applied (if any) has ended. */
    whenIdle: (): Promise<void> => finished,

    async close(): Promise<void> {
      controller?.abort();
      await finished;
    },
  };
}
export type UpdateService = ReturnType<typeof createUpdateService>;
