import { z } from 'zod';
import type { SettingsRepo } from '../system/settings-repo.js';

const KEY = 'sync.options';

const optionsSchema = z.object({
  paused: z.boolean(),
  /** KiB/s; null: no limit. */
  bandwidthKiBps: z.number().int().positive().nullable(),
  /** Destinations paused on their own (the others keep syncing). */
  pausedDestinations: z.array(z.string()).default([]),
});
export type SyncOptions = z.infer<typeof optionsSchema>;

const DEFAULTS: SyncOptions = { paused: false, bandwidthKiBps: null, pausedDestinations: [] };

/**
 * Pause and the bandwidth limit, a setting (key `sync.options`): read on every batch, so a
 * `neurosphere sync pause` in another process stops a running worker after its batch.
 */
export function createSyncOptions(settings: SettingsRepo) {
  return {
    get(): SyncOptions {
      const stored = settings.get(KEY);
      if (stored === undefined) return DEFAULTS;
      try {
        return optionsSchema.parse(JSON.parse(stored));
      } catch {
        return DEFAULTS;
      }
    },
    set(change: Partial<SyncOptions>, now: string): SyncOptions {
      const next = { ...this.get(), ...change };
      settings.set(KEY, JSON.stringify(next), now);
      return next;
    },
  };
}
export type SyncOptionsStore = ReturnType<typeof createSyncOptions>;
