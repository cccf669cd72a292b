import { useCallback, useSyncExternalStore } from 'react';
import { hashFor, routeFromHash, type Route } from './routes.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentRoute = (): Route => routeFromHash(window.location.hash);

export function useHashRoute(): [Route, (route: Route) => void] {
  const route = useSyncExternalStore(subscribe, currentRoute);
  const navigate = useCallback((next: Route) => {
    window.location.hash = hashFor(next);
  }, []);
  return [route, navigate];
}
