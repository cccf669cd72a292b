import { z } from 'zod';

/** A folder on the machine that runs the core (the workstation, or the serve host). */
const folder = z.string().trim().min(1, 'Choose a folder.').max(4096);

/** The scheduled backup, run by the core of the app or serve mode (docs/backup.md). */
export const backupScheduleSchema = z
  .object({
    enabled: z.boolean(),
    /** How often: a backup runs when the last one is at least this old. */
    intervalHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31),
    /** Each backup goes into a new folder `neurosphere-backup-<time>` inside this one. */
    dir: z.string().trim().max(4096),
  })
  .strict()
  .refine((s) => !s.enabled || s.dir.length > 0, {
    message: 'Choose the folder scheduled backups go into.',
    path: ['dir'],
  });
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;

export const backupRecordSchema = z.object({
  finishedAt: z.string(),
  dir: z.string(),
  bytes: z.number().int(),
  files: z.number().int(),
  trigger: z.enum(['manual', 'schedule']),
  warnings: z.array(z.string()),
});
export type BackupRecord = z.infer<typeof backupRecordSchema>;

export const backupStatusSchema = z.object({
  last: backupRecordSchema.nullable(),
  /** The last attempt that failed (or was cancelled) after the last success; null otherwise. */
  lastFailure: z.object({ at: z.string(), message: z.string() }).nullable(),
  running: z
    .object({
      startedAt: z.string(),
      dir: z.string(),
      trigger: z.enum(['manual', 'schedule']),
      stage: z.enum(['database', 'blobs', 'manifest']),
      doneBytes: z.number(),
      totalBytes: z.number(),
    })
    .nullable(),
  schedule: backupScheduleSchema,
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

export const backupRunInputSchema = z.object({ dir: folder }).strict();
