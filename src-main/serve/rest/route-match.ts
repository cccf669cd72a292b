import type { RestRoute, SeedName } from './rest-types.js';

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: RestRoute; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-verb'; readonly seed: SeedName; readonly allowed: string[] };

const compiled = new WeakMap<RestRoute, RegExp>();

/** `/api/scans/{scanId}` as a pattern: each placeholder one non-empty path segment. */
function patternOf(route: RestRoute): RegExp {
  let pattern = compiled.get(route);
  if (pattern === undefined) {
    const source = route.path
      .split(/(\{[A-Za-z_]+\})/)
      .map((part) =>
        part.startsWith('{')
          ? `(?<${part.slice(1, -1)}>[^/]+)`
          : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
      )
      .join('');
    pattern = new RegExp(`^${source}/?$`);
    compiled.set(route, pattern);
  }
  return pattern;
}

function decodeParams(
  groups: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(groups ?? {}))
      params[name] = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  return params;
}

/**
 * The route for a verb and path (HEAD reads as GET; OPTIONS matches any verb for CORS), or the
 * verbs the path does allow, or undefined when no route has this path. A trailing slash is
 * accepted, as the seeds write `/patients/`.
 */
export function matchRoute(
  routes: readonly RestRoute[],
  verb: string,
  path: string,
): RouteMatch | undefined {
  const wanted = verb === 'HEAD' ? 'GET' : verb;
  const allowed: string[] = [];
  let seed: SeedName | undefined;
  for (const route of routes) {
    const found = patternOf(route).exec(path);
    if (found === null) continue;
    const params = decodeParams(found.groups);
    if (params === undefined) continue;
    if (route.verb === wanted || wanted === 'OPTIONS') return { kind: 'route', route, params };
    allowed.push(route.verb);
    seed ??= route.seed;
  }
  return seed === undefined ? undefined : { kind: 'wrong-verb', seed, allowed };
}
