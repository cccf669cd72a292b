import { streams, type StreamSpec } from '../../../src-shared/contract/streams.js';
import type {
  AnyStreamHandler,
  StreamHandlers,
  StreamHandlersOf,
  StreamTable,
} from './stream-types.js';

/** The contract's streams with the core's handlers. */
export function contractStreams(handlers: StreamHandlers): StreamTable {
  return {
    specs: streams,
    handlers: handlers as unknown as Readonly<Record<string, AnyStreamHandler>>,
  };
}

/**
 * Adds streams to a table: a spec and a handler each, type-checked against each other here, so
 * the router and the shells take them as they take the contract's own. Refuses a name the
 * table already has (two handlers for one name would make one of them dead code).
 */
export function extendStreams<T extends Record<string, StreamSpec>>(
  base: StreamTable,
  specs: T,
  handlers: StreamHandlersOf<T>,
): StreamTable {
  for (const name of Object.keys(specs)) {
    if (Object.hasOwn(base.specs, name)) throw new Error(`The stream "${name}" is declared twice.`);
    if (!Object.hasOwn(handlers, name)) throw new Error(`The stream "${name}" has no handler.`);
  }
  return {
    specs: { ...base.specs, ...specs },
    handlers: {
      ...base.handlers,
      ...(handlers as unknown as Readonly<Record<string, AnyStreamHandler>>),
    },
  };
}
