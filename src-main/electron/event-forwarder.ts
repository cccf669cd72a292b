/**
 * Forwards the core's events to the app's windows. Written against a minimal slice of
 * WebContents so that tests can check which windows receive what.
 */
import type { EventBus } from '../core/index.js';
import { IPC_CHANNELS } from './ipc-channels.js';
import { isTrustedSenderUrl } from './policy.js';

export interface EventReceiver {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * Subscribes to the bus; returns the unsubscribe function. A window that shows anything but the
 * app (which navigation blocking should make impossible) gets nothing: events carry patient data.
 */
export function forwardCoreEvents(
  bus: Pick<EventBus, 'subscribe'>,
  receivers: () => Iterable<EventReceiver>,
): () => void {
  return bus.subscribe((name, payload) => {
    for (const receiver of receivers()) {
      if (receiver.isDestroyed() || !isTrustedSenderUrl(receiver.getURL())) continue;
      receiver.send(IPC_CHANNELS.event, name, payload);
    }
  });
}
