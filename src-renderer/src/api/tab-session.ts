import type { ApiClient, Session } from './client.js';

/** The slice of BroadcastChannel this needs (a fake in tests). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

type TabMessage =
  | { readonly type: 'ask' }
  | { readonly type: 'session'; readonly session: Session }
  | { readonly type: 'logout'; readonly token: string }
  | { readonly type: 'activity' };

export const TAB_CHANNEL_NAME = 'neurosphere.session';

/** How often a tab tells the others that its user is active (they then do not log off). */
export const ACTIVITY_ANNOUNCE_MS = 15_000;

function isSession(value: unknown): value is Session {
  const session = value as Partial<Session> | null;
  return (
    typeof session?.token === 'string' &&
    typeof session.user?.id === 'string' &&
    typeof session.idleTimeoutSeconds === 'number'
  );
}

function parse(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as { type?: unknown; session?: unknown; token?: unknown };
  switch (message.type) {
    case 'ask':
    case 'activity':
      return { type: message.type };
    case 'session':
      return isSession(message.session) ? { type: 'session', session: message.session } : null;
    case 'logout':
      return typeof message.token === 'string' ? { type: 'logout', token: message.token } : null;
    default:
      return null;
  }
}

export interface TabSession {
  /** Tells the other tabs the user is active here (throttled). */
  announceActivity(): void;
  /** Activity in another tab: the idle logoff counts it as activity here. */
  onActivity(listener: () => void): () => void;
  stop(): void;
}

/**
 * One login for the tabs of one browser. The session stays in each tab's sessionStorage (not
 * localStorage): a new tab asks the open ones over a BroadcastChannel (same origin, same browser
 * profile, never written to disk) and takes the session one of them answers with; a login in one
 * tab logs in the tabs that show the login screen; a logout (or an idle logoff, or an expired
 * session) in one tab logs out every tab with that session; activity in any tab keeps the others
 * from logging off. Closing every tab still ends the session, as before. See docs/viewer-habits.md.
 */
export function shareSessionBetweenTabs(
  client: Pick<ApiClient, 'getSession' | 'adoptSession' | 'onSessionChange'>,
  channel: ChannelLike,
  now: () => number = Date.now,
): TabSession {
  const activityListeners = new Set<() => void>();
  let lastAnnounced = -Infinity;
  /** The token this tab last had: a logout is announced with it. */
  let known = client.getSession()?.token ?? null;
  /** Set while adopting, so a session taken from another tab is not announced back. */
  let isAdopting = false;

  const post = (message: TabMessage): void => {
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (the page is unloading): nothing to tell.
    }
  };

  const onMessage = (event: { data: unknown }): void => {
    const message = parse(event.data);
    if (message === null) return;
    const session = client.getSession();
    switch (message.type) {
      case 'ask':
        if (session !== null) post({ type: 'session', session });
        return;
      case 'session':
        // A tab that is logged in keeps its own session (another user's login does not replace it).
        if (session !== null) return;
        isAdopting = true;
        try {
          client.adoptSession(message.session);
        } finally {
          isAdopting = false;
        }
        return;
      case 'logout':
        if (session?.token === message.token) {
          isAdopting = true;
          try {
            client.adoptSession(null);
          } finally {
            isAdopting = false;
          }
        }
        return;
      case 'activity':
        for (const listener of activityListeners) listener();
        return;
    }
  };
  channel.addEventListener('message', onMessage);

  const stopWatching = client.onSessionChange((next) => {
    const previous = known;
    known = next?.token ?? null;
    if (isAdopting) return;
    if (next !== null) post({ type: 'session', session: next });
    else if (previous !== null) post({ type: 'logout', token: previous });
  });

  if (client.getSession() === null) post({ type: 'ask' });

  return {
    announceActivity() {
      if (client.getSession() === null || now() - lastAnnounced < ACTIVITY_ANNOUNCE_MS) return;
      lastAnnounced = now();
      post({ type: 'activity' });
    },
    onActivity(listener) {
      activityListeners.add(listener);
      return () => {
        activityListeners.delete(listener);
      };
    },
    stop() {
      stopWatching();
      channel.removeEventListener('message', onMessage);
      channel.close();
    },
  };
}
