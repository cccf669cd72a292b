import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { hashFor, routeFromHash, type Route } from './routes.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
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
