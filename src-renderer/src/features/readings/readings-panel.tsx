import { useCallback, useEffect, useState } from 'react';
import { JOB_PRIORITIES, type JobPriority } from '../../../../src-shared/contract/entities.js';
import type { Reading } from '../../../../src-shared/contract/readings.js';
import { ROLE_SCOPE } from '../../../../src-shared/roles.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { FriendlyView, ExpertView, SuggestionsBlock } from './reading-views.js';

const PRIORITY_LABELS: Readonly<Record<JobPriority, string>> = {
  LOW: 'Low',
  MEDIUM: 'Normal',
  HIGH: 'High',
};

/** A reading: its head line, and its text folded away unless it is the newest of its kind. */
function ReadingItem({ reading, isOpen }: { reading: Reading; isOpen: boolean }) {
  const title = reading.kind === 'expert' ? 'Expert reading' : 'Friendly reading';
  const hasBody = reading.friendly !== null || reading.error !== null;
  return (
    <li
      className="reading"
      data-testid="reading"
      data-kind={reading.kind}
      data-status={reading.status}
      data-reading-id={reading.id}
    >
      <details open={isOpen}>
        <summary className="reading-head">
          <strong>{title}</strong>
          <span className={`priority priority-${reading.priority.toLowerCase()}`}>
            {PRIORITY_LABELS[reading.priority]} priority
          </span>
          <StatusBadge status={reading.status} testId="reading-status" />
          <span className="muted small">{formatDate(reading.createdAt)}</span>
        </summary>
        {!hasBody && <p className="muted small">The text appears when the analysis is done.</p>}
        {reading.error !== null && reading.status === 'failed' && (
          <p className="row-error">{reading.error}</p>
        )}
        {reading.expert !== null && reading.kind === 'expert' && (
          <ExpertView expert={reading.expert} />
        )}
        {/* An expert reading shows the figures; its patient wording only to whom gets no figures. */}
        {reading.friendly !== null && (reading.kind === 'friendly' || reading.expert === null) && (
          <FriendlyView friendly={reading.friendly} />
        )}
        {reading.suggestions !== null && <SuggestionsBlock answer={reading.suggestions} />}
      </details>
    </li>
  );
}

/**
 * The X-ray readings of a scan (docs/xray-readings.md): ask for an expert reading (priority,
 * notes) or a friendly one, and see each with its text; suggestions where the role may see them.
 */
export function ReadingsPanel({ scanId }: { scanId: string }) {
  const api = useApi();
  const canRequest = useCan('readings.request');
  const session = useSession();
  // A patient asks for a friendly reading of its own X-ray; expert ones are the clinicians'.
  const canRequestExpert =
    canRequest && session !== null && ROLE_SCOPE[session.user.role] !== 'own-patient';
  const [readings, setReadings] = useState<Reading[] | null>(null);
  const [priority, setPriority] = useState<JobPriority>('MEDIUM');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const load = useCallback(() => {
    api.call('readings.list', { scanId }).then(
      (list) => setReadings(list),
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api, scanId]);

  useEffect(() => {
    const stop = api.on('jobs.updated', ({ job }) => {
      if (job.type === 'reading.run' && job.payload.scanId === scanId) load();
    });
    load();
    return stop;
  }, [api, scanId, load]);

  // Doctors and patients get no job events (jobs name other patients' scans): while a reading
  // of theirs is unfinished, the list is asked for again every few seconds instead.
  const isWaiting =
    readings?.some((r) => r.status === 'pending' || r.status === 'processing') ?? false;
  useEffect(() => {
    if (!isWaiting) return undefined;
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [isWaiting, load]);

  async function request(kind: 'friendly' | 'expert'): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      await api.call(
        'readings.request',
        kind === 'expert' ? { scanId, kind, priority, notes } : { scanId, kind },
      );
      if (kind === 'expert') setNotes('');
      load();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsBusy(false);
    }
  }

  if (!canRequest && (readings === null || readings.length === 0)) return null;
  return (
    <section
      className="panel readings-panel"
      aria-labelledby="readings-title"
      data-testid="readings-panel"
    >
      <h3 id="readings-title" className="panel-header">
        Chest X-ray readings
      </h3>
      {canRequest && (
        <div className="reading-request">
          {canRequestExpert && (
            <>
              <label className="field">
                <span>Expert reading priority</span>
                <select
                  value={priority}
                  onChange={(e) => setPriority(e.target.value as JobPriority)}
                  data-testid="reading-priority"
                >
                  {JOB_PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {PRIORITY_LABELS[p]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field wide">
                <span>Clinical notes (shown with the expert reading)</span>
                <textarea
                  rows={2}
                  maxLength={4000}
                  value={notes}
                  onChange={(e) => setNotes(e.target.value)}
                  data-testid="reading-notes"
                />
              </label>
            </>
          )}
          <div className="actions">
            {canRequestExpert && (
              <button
                type="button"
                className="button primary"
                disabled={isBusy}
                onClick={() => void request('expert')}
                data-testid="request-expert-reading"
              >
                Expert reading
              </button>
            )}
            <button
              type="button"
              className={canRequestExpert ? 'button' : 'button primary'}
              disabled={isBusy}
              onClick={() => void request('friendly')}
              data-testid="request-friendly-reading"
            >
              Friendly reading
            </button>
          </div>
        </div>
      )}
      <ErrorMessage message={error} />
      {readings !== null && readings.length > 0 && (
        <ul className="readings" data-testid="readings">
          {readings.map((reading, index) => (
            <ReadingItem
              key={reading.id}
              reading={reading}
              // The list is newest first: the newest of each kind is shown open.
              isOpen={readings.findIndex((r) => r.kind === reading.kind) === index}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
