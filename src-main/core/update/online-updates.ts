import type { OnlineUpdateStatus } from '../../../src-shared/contract/updates.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Logger } from '../platform/logger.js';
import {
  nextOnlineState,
  ONLINE_IDLE,
  type OnlineEvent,
  type OnlineSnapshot,
} from './online-update-state.js';
import type { UpdateFeed } from './update-feed.js';

/**
 * What the desktop shell brings for connected updates (src-main/electron/electron-updater-driver.ts
 * wraps electron-updater); serve mode and the CLI have none.
 */
export interface UpdaterDriver {
  /** Asks the feed for a newer version than the running one: its version, or null. */
  check(feedUrl: string): Promise<{ version: string | null }>;
  download(onProgress: (percent: number) => void): Promise<void>;
  /** Quits the app and runs the downloaded installer. */
  install(): void;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

/** Connected updates driven only by an administrator's actions, through the state machine. */
export function createOnlineUpdates(deps: {
  driver: UpdaterDriver | null;
  feed: UpdateFeed;
  logger: Logger;
}) {
  let snapshot: OnlineSnapshot = ONLINE_IDLE;
  const apply = (event: OnlineEvent): void => {
    snapshot = nextOnlineState(snapshot, event);
  };
  const fail = (what: string) => (error: unknown) => {
    deps.logger.warn(`connected update: ${what} failed`, { error: messageOf(error) });
    apply({ type: 'failed', message: `The ${what} failed: ${messageOf(error)}` });
  };

  function status(): OnlineUpdateStatus {
    return { isAvailable: deps.driver !== null, feedUrl: deps.feed.get(), ...snapshot };
  }

  function driver(): UpdaterDriver {
    if (deps.driver === null)
      throw new AppError(
        'CONFLICT',
        'Connected updates run only in the desktop app. In browser mode, update the server with an update bundle (docs/updating.md).',
      );
    return deps.driver;
  }

  return {
    status,
    check(): OnlineUpdateStatus {
      const updater = driver();
      const feedUrl = deps.feed.get();
      if (feedUrl === '')
        throw new AppError(
          'INVALID_INPUT',
          "No update server is set: enter the clinic's update server address first.",
        );
      apply({ type: 'check' });
      updater
        .check(feedUrl)
        .then(
          (found) => apply({ type: 'checked', version: found.version }),
          fail('check for updates'),
        );
      return status();
    },
    download(): OnlineUpdateStatus {
      const updater = driver();
      apply({ type: 'download' });
      updater
        .download((percent) => apply({ type: 'progress', percent }))
        .then(() => apply({ type: 'downloaded' }), fail('download'));
      return status();
    },
    install(): OnlineUpdateStatus {
      const updater = driver();
      apply({ type: 'install' });
      // Answer first: the app quits right after.
      setTimeout(() => {
        try {
          updater.install();
        } catch (error) {
          fail('install')(error);
        }
      }, 200);
      return status();
    },
  };
}
export type OnlineUpdates = ReturnType<typeof createOnlineUpdates>;
