import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { confirmLeave } from './leave-guard.js';
import { hashFor, routeFromHash, type Route } from './routes.js';

/** Answers per hashchange, so that several subscribers ask the user only once. */
const decisions = new WeakMap<Event, boolean>();

function mayFollow(event: HashChangeEvent): boolean {
  let allowed = decisions.get(event);
  if (allowed === undefined) {
    allowed = confirmLeave();
    // Staying: put the address back without a new hashchange, so the snapshot never changes.
    if (!allowed) window.history.replaceState(window.history.state, '', event.oldURL);
    decisions.set(event, allowed);
  }
  return allowed;
}

function subscribe(onChange: () => void): () => void {
  const listener = (event: HashChangeEvent): void => {
    if (mayFollow(event)) onChange();
  };
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

const currentHash = (): string => window.location.hash;

export function useHashRoute(): [Route, (route: Route) => void] {
  // The hash string is the snapshot: a parsed object would be new on every read.
  const hash = useSyncExternalStore(subscribe, currentHash);
  const route = useMemo(() => routeFromHash(hash), [hash]);
  const navigate = useCallback((next: Route) => {
    window.location.hash = hashFor(next);
  }, []);
  return [route, navigate];
}
