import { z } from 'zod';
import { hubDestinationSchema, type HubDestination } from '../../../src-shared/contract/sync.js';
import type { SettingsRepo } from '../system/settings-repo.js';

const KEY = 'sync.hubDestinations';

/** The hub destinations (remote Neurosphere servers), a setting; their passwords are not here. */
export function createHubDestinations(settings: SettingsRepo) {
  return {
    list(): HubDestination[] {
      const stored = settings.get(KEY);
      if (stored === undefined) return [];
      try {
        return z.array(hubDestinationSchema).parse(JSON.parse(stored));
      } catch {
        return [];
      }
    },
    get(id: string): HubDestination | undefined {
      return this.list().find((d) => d.id === id);
    },
    save(destination: HubDestination, now: string): void {
      const rest = this.list().filter((d) => d.id !== destination.id);
      settings.set(KEY, JSON.stringify([...rest, destination]), now);
    },
    remove(id: string, now: string): boolean {
      const list = this.list();
      const rest = list.filter((d) => d.id !== id);
      settings.set(KEY, JSON.stringify(rest), now);
      return rest.length !== list.length;
    },
  };
}
export type HubDestinations = ReturnType<typeof createHubDestinations>;
