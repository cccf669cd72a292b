import { useEffect, useState } from 'react';
import type { DicomDestination } from '../../../../src-shared/contract/dicom-node.js';
import {
  syncDestinationConfigSchema,
  type SyncDestinationConfig,
  type SyncStatus,
} from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

type Flags = Omit<SyncDestinationConfig, 'destinationId'>;
const FLAGS: ReadonlyArray<{ key: keyof Flags; label: string }> = [
  { key: 'originals', label: 'Originals' },
  { key: 'segmentations', label: 'SEG' },
  { key: 'reports', label: 'Reports (PDF)' },
  { key: 'deidentify', label: 'De-identified (no reports)' },
];
const NONE: Flags = { originals: false, segmentations: false, reports: false, deidentify: false };

/** What each PACS destination receives, and the bandwidth limit (administrators). */
export function SyncSettings({ status, onSaved }: { status: SyncStatus; onSaved: () => void }) {
  const api = useApi();
  const [pacs, setPacs] = useState<DicomDestination[]>([]);
  const [draft, setDraft] = useState<Record<string, Flags>>({});
  const [limit, setLimit] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.call('dicom.node.get', {}).then(
      (node) => setPacs(node.destinations),
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api]);
  // Reset the form when the saved configuration changes, not on every status event.
  const savedKey = JSON.stringify(
    [status.destinations, status.bandwidthKiBps]
      .flat()
      .map((d) =>
        d === null || typeof d === 'number'
          ? d
          : [d.destinationId, d.originals, d.segmentations, d.reports, d.deidentify],
      ),
  );
  useEffect(() => {
    const saved = JSON.parse(savedKey) as Array<
      null | number | [string, boolean, boolean, boolean, boolean]
    >;
    const rows = saved.filter((d): d is [string, boolean, boolean, boolean, boolean] =>
      Array.isArray(d),
    );
    setDraft(
      Object.fromEntries(
        rows.map(([id, originals, segmentations, reports, deidentify]) => [
          id,
          { originals, segmentations, reports, deidentify },
        ]),
      ),
    );
    const kib = saved.at(-1);
    setLimit(typeof kib === 'number' ? String(kib) : '');
  }, [savedKey]);

  const save = (): void => {
    setError(null);
    setSaved(false);
    const kib = limit.trim() === '' ? null : Number(limit);
    if (kib !== null && (!Number.isInteger(kib) || kib < 1)) {
      setError('The bandwidth limit is a whole number of KiB/s (1 or more), or empty for none.');
      return;
    }
    const destinations = Object.entries(draft)
      .filter(([, f]) => f.originals || f.segmentations || f.reports)
      .map(([destinationId, f]) => ({ destinationId, ...f }));
    api.call('sync.configure', { destinations, bandwidthKiBps: kib }).then(
      () => {
        setSaved(true);
        onSaved();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  };

  /** Stops the sync to one destination (its items are kept), the others as saved. */
  const stop = (destinationId: string): void => {
    setError(null);
    setSaved(false);
    const destinations = status.destinations
      .filter((d) => d.destinationId !== destinationId)
      .map((d) => syncDestinationConfigSchema.strip().parse(d));
    api.call('sync.configure', { destinations }).then(
      () => {
        setSaved(true);
        onSaved();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  };
  const syncing = new Set(status.destinations.map((d) => d.destinationId));

  if (pacs.length === 0)
    return (
      <p className="muted" data-testid="sync-settings-none">
        No PACS destination yet: add one in the DICOM settings (dicom.destinations.save).
      </p>
    );
  return (
    <fieldset className="panel" data-testid="sync-settings">
      <legend>What each PACS receives</legend>
      <ErrorMessage message={error} />
      <table className="table">
        <tbody>
          {pacs.map((d) => {
            const flags = draft[d.id] ?? NONE;
            return (
              <tr key={d.id} data-testid={`sync-settings-${d.id}`}>
                <td>
                  {d.name} <span className="muted">({d.aeTitle ?? 'DICOMweb'})</span>
                </td>
                {FLAGS.map(({ key, label }) => (
                  <td key={key}>
                    <label>
                      <input
                        type="checkbox"
                        data-testid={`sync-flag-${key}`}
                        checked={flags[key]}
                        onChange={(e) =>
                          setDraft({ ...draft, [d.id]: { ...flags, [key]: e.target.checked } })
                        }
                      />{' '}
                      {label}
                    </label>
                  </td>
                ))}
                <td>
                  {syncing.has(d.id) ? (
                    <button
                      type="button"
                      className="button small"
                      data-testid="sync-settings-stop"
                      title="Nothing more is sent to it; what waits for it is kept"
                      onClick={() => stop(d.id)}
                    >
                      Stop syncing
                    </button>
                  ) : (
                    <span className="muted" data-testid="sync-settings-not-syncing">
                      not syncing
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        Bandwidth limit (KiB/s, empty: none){' '}
        <input
          className="input"
          data-testid="sync-bandwidth"
          inputMode="numeric"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
        />
      </label>{' '}
      <button type="button" className="button" data-testid="sync-settings-save" onClick={save}>
        Save
      </button>
      {saved && <span data-testid="sync-settings-saved"> Saved.</span>}
    </fieldset>
  );
}
