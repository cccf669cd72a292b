/** The app's pages. Routing uses the URL hash: it survives a reload and works under both the
 * desktop app's custom protocol and serve mode without any server-side routing. */
export const ROUTES = ['worklist', 'jobs'] as const;
export type Route = (typeof ROUTES)[number];
export const DEFAULT_ROUTE: Route = 'worklist';

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : DEFAULT_ROUTE;
}

export function hashFor(route: Route): string {
  return `#/${route}`;
}
