import type { DataKeys } from '../encryption/data-keys.js';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  backupRecordSchema,
  backupScheduleSchema,
  type BackupRecord,
  type BackupSchedule,
  type BackupStatus,
} from '../../../src-shared/contract/backup.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { SettingsRepo } from '../system/settings-repo.js';
import { createBackup } from './create-backup.js';

const KEYS = {
  last: 'backup.last',
  lastFailure: 'backup.lastFailure',
  schedule: 'backup.schedule',
} as const;

const NO_SCHEDULE: BackupSchedule = { enabled: false, intervalHours: 24, dir: '' };
/** How often the scheduler looks whether a backup is due. */
const CHECK_EVERY_MS = 60_000;

type Trigger = 'manual' | 'schedule';
type Running = NonNullable<BackupStatus['running']>;

function readJson<T>(
  text: string | undefined,
  parse: (value: unknown) => T | undefined,
): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Backups run by the core: one at a time, on demand from the admin screen or on the schedule,
 * each into a new `neurosphere-backup-<time>` folder inside the chosen one, with progress, cancel,
 * and the last result kept in the site settings (so the admin screen shows it after a restart).
 */
export function createBackupService(deps: {
  dataDir: string;
  /** The keys of an encrypted data folder: its backups stay encrypted. */
  keys?: DataKeys;
  appVersion: string;
  settings: SettingsRepo;
  clock: Clock;
  logger: Logger;
}) {
  let running: Running | undefined;
  let controller: AbortController | undefined;
  let finished: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (): BackupSchedule =>
    readJson(deps.settings.get(KEYS.schedule), (v) => backupScheduleSchema.safeParse(v).data) ??
    NO_SCHEDULE;
  const last = (): BackupRecord | null =>
    readJson(deps.settings.get(KEYS.last), (v) => backupRecordSchema.safeParse(v).data) ?? null;
  const lastFailure = (): BackupStatus['lastFailure'] =>
    readJson(deps.settings.get(KEYS.lastFailure), (v) => v as BackupStatus['lastFailure']) ?? null;

  function status(): BackupStatus {
    return {
      last: last(),
      lastFailure: lastFailure(),
      running: running === undefined ? null : { ...running },
      schedule: schedule(),
    };
  }

  function start(baseDir: string, trigger: Trigger): void {
    if (running !== undefined) {
      throw new AppError('CONFLICT', `A backup is already running (into ${running.dir}).`);
    }
    const folder = statSync(baseDir, { throwIfNoEntry: false });
    if (folder?.isDirectory() !== true) {
      throw new AppError(
        'INVALID_INPUT',
        `${baseDir} is ${folder === undefined ? 'not there' : 'not a folder'} on the machine that ` +
          'runs Neurosphere. Choose an existing folder (e.g. where a USB stick is mounted).',
      );
    }
    const startedAt = deps.clock.iso();
    const dir = join(baseDir, `neurosphere-backup-${startedAt.replace(/[:.]/g, '-')}`);
    const current: Running = {
      startedAt,
      dir,
      trigger,
      stage: 'database',
      doneBytes: 0,
      totalBytes: 0,
    };
    running = current;
    const abort = new AbortController();
    controller = abort;
    finished = createBackup({
      dataDir: deps.dataDir,
      targetDir: dir,
      ...(deps.keys !== undefined && { keys: deps.keys }),
      appVersion: deps.appVersion,
      now: () => deps.clock.now(),
      signal: abort.signal,
      onProgress: (progress) => Object.assign(current, progress),
    })
      .then((result) => {
        const record: BackupRecord = {
          finishedAt: deps.clock.iso(),
          dir,
          bytes: result.totalBytes,
          files: result.manifest.files.length,
          trigger,
          warnings: result.warnings,
        };
        deps.settings.set(KEYS.last, JSON.stringify(record), record.finishedAt);
        deps.settings.set(KEYS.lastFailure, null, record.finishedAt);
        deps.logger.info('backup finished', { dir, bytes: result.totalBytes, trigger });
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        const at = deps.clock.iso();
        deps.settings.set(KEYS.lastFailure, JSON.stringify({ at, message }), at);
        deps.logger.warn('backup failed', { dir, trigger, error: message });
      })
      .finally(() => {
        running = undefined;
        controller = undefined;
      });
  }

  /** Starts the scheduled backup when it is due (never two at once, never while one runs). */
  function runIfDue(): void {
    const current = schedule();
    if (!current.enabled || running !== undefined) return;
    const previous = last()?.finishedAt;
    const due =
      previous === undefined ||
      deps.clock.now().getTime() - new Date(previous).getTime() >=
        current.intervalHours * 3_600_000;
    if (due) start(current.dir, 'schedule');
  }

  return {
    status,
    run(baseDir: string): BackupStatus {
      start(baseDir, 'manual');
      return status();
    },
    cancel(): BackupStatus {
      if (controller === undefined) throw new AppError('CONFLICT', 'No backup is running.');
      controller.abort();
      return status();
    },
    setSchedule(next: BackupSchedule): BackupStatus {
      deps.settings.set(KEYS.schedule, JSON.stringify(next), deps.clock.iso());
      return status();
    },
    runIfDue,
    /** Resolves when the running backup (if any) has ended. */
    whenIdle: (): Promise<void> => finished,
    startScheduler(): void {
      timer ??= setInterval(runIfDue, CHECK_EVERY_MS);
      timer.unref();
    },
    async close(): Promise<void> {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      controller?.abort();
      await finished;
    },
  };
}
export type BackupService = ReturnType<typeof createBackupService>;
