import type { EventName, EventPayload } from '../../src-shared/contract/events.js';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** The core's outgoing events; every shell subscribes and forwards to its clients. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(
  onListenerError: (error: unknown) => void = () => undefined,
): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
