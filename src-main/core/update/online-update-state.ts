import type { OnlineUpdateStatus } from '../../../src-shared/contract/updates.js';
import { AppError } from '../../../src-shared/errors.js';

export type OnlineState = OnlineUpdateStatus['state'];

export interface OnlineSnapshot {
  readonly state: OnlineState;
  readonly version: string | null;
  readonly percent: number | null;
  readonly message: string | null;
}

/** What moves a connected update on: the admin's three actions, and what electron-updater reports. */
export type OnlineEvent =
  | { readonly type: 'check' }
  | { readonly type: 'checked'; readonly version: string | null }
  | { readonly type: 'download' }
  | { readonly type: 'progress'; readonly percent: number }
  | { readonly type: 'downloaded' }
  | { readonly type: 'install' }
  | { readonly type: 'failed'; readonly message: string };

export const ONLINE_IDLE: OnlineSnapshot = {
  state: 'idle',
  version: null,
  percent: null,
  message: null,
};

const refuse = (message: string): never => {
  throw new AppError('CONFLICT', message);
};

/**
 * The connected update's state machine. Nothing happens by itself: a check, a download and an
 * install each wait for an administrator, and an action that does not fit the state is refused
 * with what to do instead (download before a newer version was found, install before the
 * download finished, anything while something else runs).
 */
export function nextOnlineState(current: OnlineSnapshot, event: OnlineEvent): OnlineSnapshot {
  const isBusy = ['checking', 'downloading', 'installing'].includes(current.state);
  switch (event.type) {
    case 'check':
      if (isBusy) refuse(`An update is already ${current.state}; wait until it has finished.`);
      return { ...ONLINE_IDLE, state: 'checking' };
    case 'checked':
      if (current.state !== 'checking') return current;
      return event.version === null
        ? { ...ONLINE_IDLE, state: 'up-to-date' }
        : { ...ONLINE_IDLE, state: 'available', version: event.version };
    case 'download':
      if (current.state !== 'available')
        refuse(
          current.state === 'downloaded'
            ? 'The update is already downloaded: install it.'
            : 'Check for updates first: there is no newer version to download yet.',
        );
      return { ...current, state: 'downloading', percent: 0 };
    case 'progress':
      if (current.state !== 'downloading') return current;
      return { ...current, percent: Math.max(0, Math.min(100, event.percent)) };
    case 'downloaded':
      if (current.state !== 'downloading') return current;
      return { ...current, state: 'downloaded', percent: 100 };
    case 'install':
      if (current.state !== 'downloaded')
        refuse('Download the update first; only a downloaded update can be installed.');
      return { ...current, state: 'installing' };
    case 'failed':
      return { ...current, state: 'failed', percent: null, message: event.message };
  }
}
