import { describe, expect, it } from 'vitest';
import { createEventBus } from '../core/events.js';
import { forwardCoreEvents, type EventReceiver } from './event-forwarder.js';
import { IPC_CHANNELS } from './ipc-channels.js';
import { APP_ENTRY_URL } from './policy.js';

function receiver(url: string, isDestroyed = false) {
  const sent: unknown[][] = [];
  const target: EventReceiver = {
    isDestroyed: () => isDestroyed,
    getURL: () => url,
    send: (channel, ...args) => sent.push([channel, ...args]),
  };
  return { target, sent };
}

describe('forwardCoreEvents', () => {
  const payload = { scanIds: ['a'], change: 'added' as const };

  it('sends each core event to every live app window', () => {
    const bus = createEventBus();
    const first = receiver(APP_ENTRY_URL);
    const second = receiver(`${APP_ENTRY_URL}#/jobs`);
    forwardCoreEvents(bus, () => [first.target, second.target]);
    bus.emit('scans.changed', payload);
    expect(first.sent).toEqual([[IPC_CHANNELS.event, 'scans.changed', payload]]);
    expect(second.sent).toEqual([[IPC_CHANNELS.event, 'scans.changed', payload]]);
  });

  it('skips destroyed windows and windows not showing the app', () => {
    const bus = createEventBus();
    const destroyed = receiver(APP_ENTRY_URL, true);
    const elsewhere = receiver('https://evil.example/');
    forwardCoreEvents(bus, () => [destroyed.target, elsewhere.target]);
    bus.emit('scans.changed', payload);
    expect(destroyed.sent).toEqual([]);
    expect(elsewhere.sent).toEqual([]);
  });

  it('stops forwarding once unsubscribed', () => {
    const bus = createEventBus();
    const window = receiver(APP_ENTRY_URL);
    const stop = forwardCoreEvents(bus, () => [window.target]);
    stop();
    bus.emit('scans.changed', payload);
    expect(window.sent).toEqual([]);
  });
});
