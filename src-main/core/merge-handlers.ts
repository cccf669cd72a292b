import { METHOD_NAMES, isMethodName, type MethodName } from '../../src-shared/contract/methods.js';
import type { Handlers } from './router.js';

/** The handlers of some methods of the contract: what a domain module exports. */
export type HandlerMap<M extends MethodName> = Pick<Handlers, M>;

type KeysOfEach<T> = T extends unknown ? keyof T : never;

/** Methods that more than one map of the list declares. */
type DeclaredTwice<T extends readonly object[], Seen = never> = T extends readonly [
  infer First,
  ...infer Rest extends readonly object[],
]
  ? (keyof First & Seen) | DeclaredTwice<Rest, Seen | keyof First>
  : never;

/** Methods that no map of the list declares. */
type Missing<T extends readonly object[]> = Exclude<MethodName, KeysOfEach<T[number]>>;

/**
 * The list itself when it declares every contract method exactly once; otherwise a type that
 * names the offending methods, so the call does not compile and the error says which.
 */
export type EveryMethodOnce<T extends readonly object[]> = [DeclaredTwice<T>] extends [never]
  ? [Missing<T>] extends [never]
    ? T
    : { readonly missingHandlersFor: Missing<T> }
  : { readonly declaredTwice: DeclaredTwice<T> };

/**
 * Merges the domains' handler maps into the router's one map. The type proves that every
 * contract method has exactly one handler; the same is checked when the core starts (a map
 * built at run time, or cast, cannot slip a second handler in to silently replace the first).
 */
export function mergeHandlers<const T extends readonly Partial<Handlers>[]>(
  ...maps: T & EveryMethodOnce<T>
): Handlers {
  const merged: Record<string, unknown> = {};
  const declaredIn = new Map<string, number>();
  maps.forEach((map: Partial<Handlers>, index) => {
    for (const [method, handler] of Object.entries(map)) {
      if (!isMethodName(method))
        throw new Error(
          `Handler map ${index + 1} declares "${method}", which is not a method of the contract: remove it or add it to src-shared/contract/methods.ts.`,
        );
      const earlier = declaredIn.get(method);
      if (earlier !== undefined)
        throw new Error(
          `Method "${method}" is declared twice: in handler maps ${earlier + 1} and ${index + 1}. Keep one.`,
        );
      declaredIn.set(method, index);
      merged[method] = handler;
    }
  });
  const missing = METHOD_NAMES.filter((method) => !declaredIn.has(method));
  if (missing.length > 0)
    throw new Error(
      `No handler for ${missing.map((m) => `"${m}"`).join(', ')}: add one to its domain's handler map.`,
    );
  return merged as Handlers;
}
