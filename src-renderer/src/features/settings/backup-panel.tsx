import { useEffect, useState } from 'react';
import type { BackupSchedule, BackupStatus } from '../../../../src-shared/contract/backup.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes, formatDate } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';

/** While a backup runs, its progress is read this often. */
const POLL_MS = 500;

/**
 * Backups of the data folder for administrators: the last one, one now (with progress and
 * cancel), and the schedule the app runs by itself. Folders are on the machine that runs
 * Neurosphere (the workstation, or the server in browser mode), e.g. a USB stick's mount point.
 */
export function BackupPanel() {
  const api = useApi();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [folder, setFolder] = useState('');
  const [schedule, setSchedule] = useState<BackupSchedule | null>(null);
  const [scheduleState, setScheduleState] = useState<'idle' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    api
      .call('backup.status', {})
      .then((first) => {
        if (!isCurrent) return;
        setStatus(first);
        setSchedule(first.schedule);
        setFolder((current) => (current === '' ? first.schedule.dir : current));
      })
      .catch((failure: unknown) => isCurrent && setError(errorMessage(failure)));
    return () => {
      isCurrent = false;
    };
  }, [api]);

  const isRunning = (status?.running ?? null) !== null;
  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => {
      api
        .call('backup.status', {})
        .then(setStatus)
        .catch((failure: unknown) => setError(errorMessage(failure)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, isRunning]);

  async function act(call: () => Promise<BackupStatus>): Promise<void> {
    setError(null);
    try {
      setStatus(await call());
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function saveSchedule(next: BackupSchedule): Promise<void> {
    setError(null);
    try {
      const saved = await api.call('backup.setSchedule', next);
      setStatus(saved);
      setSchedule(saved.schedule);
      setScheduleState('saved');
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  const running = status?.running ?? null;
  const last = status?.last ?? null;
  const failure = status?.lastFailure ?? null;
  return (
    <section className="panel" aria-labelledby="backup-title" data-testid="backup-panel">
      <h3 id="backup-title" className="panel-header">
        Backup
      </h3>
      <dl className="facts">
        <dt>Last backup</dt>
        <dd data-testid="backup-last">
          {status === null
            ? '…'
            : last === null
              ? 'None yet: back up now, or turn on the schedule.'
              : `${formatDate(last.finishedAt)} · ${last.files} files, ${formatBytes(last.bytes)} · ${last.trigger === 'schedule' ? 'scheduled' : 'by hand'}`}
          {last !== null && <div className="mono small-note">{last.dir}</div>}
          {last?.warnings.map((warning) => (
            <p key={warning} className="row-error small-note">
              {warning}
            </p>
          ))}
        </dd>
        {failure !== null && (
          <>
            <dt>Last attempt</dt>
            <dd className="row-error" data-testid="backup-failure">
              {formatDate(failure.at)}: {failure.message}
            </dd>
          </>
        )}
      </dl>

      <div className="toolbar">
        <label className="field grow">
          <span>Back up into (a new folder is made inside it)</span>
          <input
            value={folder}
            placeholder="/media/usb or E:\Backups"
            onChange={(e) => setFolder(e.target.value)}
            disabled={running !== null}
            data-testid="backup-folder"
          />
        </label>
        {running === null ? (
          <button
            type="button"
            className="button primary"
            disabled={folder.trim() === ''}
            onClick={() => void act(() => api.call('backup.run', { dir: folder }))}
            data-testid="backup-run"
          >
            Back up now
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => void act(() => api.call('backup.cancel', {}))}
            data-testid="backup-cancel"
          >
            Cancel backup
          </button>
        )}
      </div>
      {running !== null && (
        <div data-testid="backup-progress">
          <ProgressBar
            progress={running.totalBytes === 0 ? 0 : running.doneBytes / running.totalBytes}
            status="processing"
            label="Backup progress"
          />
          <p className="muted small-note" role="status">
            {running.stage === 'database'
              ? 'Copying the database…'
              : running.stage === 'blobs'
                ? `Copying stored files: ${formatBytes(running.doneBytes)} of ${formatBytes(running.totalBytes)}`
                : 'Writing the manifest…'}{' '}
            into <span className="mono">{running.dir}</span>
          </p>
        </div>
      )}

      {schedule !== null && (
        <fieldset className="backup-schedule" data-testid="backup-schedule">
          <legend>Scheduled backup (while the app or serve mode runs)</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={schedule.enabled}
              onChange={(e) => {
                setSchedule({ ...schedule, enabled: e.target.checked });
                setScheduleState('idle');
              }}
              data-testid="backup-schedule-enabled"
            />
            Back up automatically every
          </label>
          <input
            type="number"
            min={1}
            max={744}
            value={schedule.intervalHours}
            aria-label="Hours between backups"
            onChange={(e) => {
              setSchedule({ ...schedule, intervalHours: Math.round(Number(e.target.value)) });
              setScheduleState('idle');
            }}
            data-testid="backup-schedule-hours"
          />{' '}
          hours into
          <input
            value={schedule.dir}
            aria-label="Folder for scheduled backups"
            placeholder="/media/usb or E:\Backups"
            onChange={(e) => {
              setSchedule({ ...schedule, dir: e.target.value });
              setScheduleState('idle');
            }}
            data-testid="backup-schedule-folder"
          />
          <button
            type="button"
            className="button small"
            onClick={() => void saveSchedule(schedule)}
            data-testid="backup-schedule-save"
          >
            Save schedule
          </button>
          <span className="muted" role="status" data-testid="backup-schedule-state">
            {scheduleState === 'saved'
              ? schedule.enabled
                ? `Saved: the next backup runs when the last is ${schedule.intervalHours} h old.`
                : 'Saved: no scheduled backups.'
              : ''}
          </span>
        </fieldset>
      )}
      <ErrorMessage message={error} />
      <p className="muted small-note">
        Restore with <span className="mono">neurosphere restore FOLDER</span> after stopping the
        app: it checks every file before it replaces anything (docs/backup.md).
      </p>
    </section>
  );
}
