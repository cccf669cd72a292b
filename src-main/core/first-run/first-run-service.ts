import { z } from 'zod';
import type { FirstRunStatus } from '../../../src-shared/contract/first-run.js';
import { AppError } from '../../../src-shared/errors.js';
import { FIRST_RUN_STEPS, type DataDirOrigin } from '../../../src-shared/first-run.js';
import type { Db } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { SettingsRepo } from '../system/settings-repo.js';

const KEY = 'firstRun.completed';
const completedSchema = z.object({ at: z.string(), by: z.string(), skipped: z.array(z.string()) });

/**
 * The first-run wizard's state: finished or not (once per site, by an administrator), and what
 * its data-folder and account steps show. The steps themselves save through their own methods
 * (clinic.update, backup.setSchedule, gpu.check); this records only that the wizard was done.
 */
export function createFirstRunService(deps: {
  db: Db;
  settings: SettingsRepo;
  clock: Clock;
  dataDir: string;
  dataDirOrigin: DataDirOrigin;
}) {
  const firstAdmin = deps.db.prepare<[], { username: string }>(
    "SELECT username FROM users WHERE role = 'admin' ORDER BY created_at, rowid LIMIT 1",
  );

  function completed(): z.infer<typeof completedSchema> | null {
    const stored = deps.settings.get(KEY);
    if (stored === undefined) return null;
    try {
      return completedSchema.safeParse(JSON.parse(stored)).data ?? null;
    } catch {
      return null;
    }
  }

  function status(): FirstRunStatus {
    const done = completed();
    return {
      isComplete: done !== null,
      completedAt: done?.at ?? null,
      completedBy: done?.by ?? null,
      skipped: done?.skipped ?? [],
      dataDir: deps.dataDir,
      dataDirOrigin: deps.dataDirOrigin,
      adminUsername: firstAdmin.get()?.username ?? null,
    };
  }

  return {
    status,
    /** Records the wizard as finished; finishing it again (from Settings) updates the record. */
    complete(by: string, skipped: readonly string[]): FirstRunStatus {
      const required = FIRST_RUN_STEPS.filter(
        (step) => step.isRequired && skipped.includes(step.id),
      );
      if (required.length > 0)
        throw new AppError(
          'INVALID_INPUT',
          `"${required.map((step) => step.title).join('", "')}" cannot be skipped: complete it, then finish.`,
        );
      const at = deps.clock.iso();
      deps.settings.set(KEY, JSON.stringify({ at, by, skipped: [...new Set(skipped)] }), at);
      return status();
    },
  };
}
export type FirstRunService = ReturnType<typeof createFirstRunService>;
