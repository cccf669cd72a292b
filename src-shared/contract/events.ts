import { z } from 'zod';
import { jobSchema, scanSchema } from './entities.js';
import { syncStatusSchema } from './sync.js';

/** Events pushed from the core to clients (IPC, WebSocket). */
export const events = {
  /** A job was created, progressed, or changed state. */
  'jobs.updated': z.object({ job: jobSchema }),
  /** Scans were added, changed or removed; clients refresh lists. */
  'scans.changed': z.object({
    scanIds: z.array(z.string()),
    change: z.enum(['added', 'updated', 'deleted']),
  }),
  /** A single scan's state (e.g. analysis status). */
  'scans.updated': z.object({ scan: scanSchema }),
  /** The outbox sync's state changed (an item sent or failed, paused, a destination offline). */
  'sync.updated': z.object({ status: syncStatusSchema }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
