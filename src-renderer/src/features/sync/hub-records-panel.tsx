import { useCallback, useEffect, useState } from 'react';
import type { HubRecordView } from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null
    ? (payload as Record<string, unknown>)[name]
    : undefined;
}

/**
 * Why the hub shows this version, in the words of the conflict policy (docs/hub-sync.md;
 * core/sync/hub-conflict-policy.ts decides, this only explains).
 */
export function whyShown(record: HubRecordView): string {
  const { current, versions } = record;
  if (!record.conflict)
    return versions.length <= 1
      ? 'The only version received.'
      : 'The latest change, made on top of the version the hub had.';
  const signed =
    record.entity === 'report' &&
    current.op !== 'delete' &&
    field(current.payload, 'status') === 'final';
  if (signed)
    return 'Conflict: a signed report beats a draft or a deletion (then the later signature).';
  if (current.op !== 'delete' && versions.some((v) => v.op === 'delete'))
    return 'Conflict: a live record beats a deletion made on another workstation.';
  return 'Conflict: changed on two workstations; the later change is shown (a tie: the lower workstation name).';
}

/** On a hub: the records received from workstations, and those in conflict (administrators). */
export function HubRecordsPanel() {
  const api = useApi();
  const [conflictsOnly, setConflictsOnly] = useState(false);
  const [records, setRecords] = useState<HubRecordView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canResolve = useCan('settings.write');
  const load = useCallback(() => {
    api.call('sync.hub.records', { conflictsOnly, limit: 200 }).then(
      (list) => {
        setError(null);
        setRecords(list);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api, conflictsOnly]);
  useEffect(load, [load]);
  useEventRefresh(['sync.updated'], load, 1_000);
  const keep = (r: HubRecordView, origin: string, version: number): void => {
    setError(null);
    api
      .call('sync.hub.keep', { entity: r.entity, id: r.id, origin, version })
      .then(load, (failure: unknown) => setError(errorMessage(failure)));
  };

  // A workstation never receives: hide the panel until this server holds something, or filters.
  if (records !== null && records.length === 0 && !conflictsOnly && error === null) return null;
  return (
    <fieldset className="panel" data-testid="hub-records">
      <legend>Records received (this server as a hub)</legend>
      <ErrorMessage message={error} />
      <label>
        <input
          type="checkbox"
          checked={conflictsOnly}
          onChange={(e) => setConflictsOnly(e.target.checked)}
          data-testid="hub-records-conflicts-only"
        />{' '}
        Conflicts only
      </label>
      {records !== null && records.length === 0 && (
        <p className="muted" data-testid="hub-records-none">
          No record in conflict.
        </p>
      )}
      {records !== null && records.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Record</th>
              <th>From</th>
              <th>Versions kept</th>
              <th>Shown</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr
                key={`${r.entity}/${r.id}`}
                data-testid="hub-record"
                data-conflict={r.conflict ? 'yes' : 'no'}
              >
                <td>
                  {r.entity} <span className="muted mono">{r.id}</span>
                </td>
                <td>{[...new Set(r.versions.map((v) => v.origin))].join(', ')}</td>
                <td>
                  {r.versions.length}
                  <ul className="muted">
                    {r.versions.map((v) => (
                      <li key={`${v.origin}-${v.version}`}>
                        {v.origin} #{v.version} {v.op}, {formatDate(v.changedAt)}: {v.outcome}
                        {canResolve &&
                          r.conflict &&
                          !(v.origin === r.current.origin && v.version === r.current.version) && (
                            <>
                              {' '}
                              <button
                                type="button"
                                className="button small"
                                data-testid="hub-record-keep"
                                title="Show this version at the hub and clear the conflict; every version stays kept"
                                onClick={() => keep(r, v.origin, v.version)}
                              >
                                Keep this version
                              </button>
                            </>
                          )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {r.current.origin} #{r.current.version}
                  {r.conflict && <strong className="row-error"> conflict</strong>}
                </td>
                <td data-testid="hub-record-why">{whyShown(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
