import { useCallback, useEffect, useState } from 'react';
import type { HubDestinationView, SyncStatus } from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { HubDestinationForm } from './hub-destination-form.js';
import { HubTestButton } from './hub-test-button.js';

/** The Neurosphere hubs this workstation sends its records to: add, edit, test, remove (admins). */
export function HubDestinationsPanel({
  status,
  onChanged,
}: {
  status: SyncStatus;
  onChanged: () => void;
}) {
  const api = useApi();
  const [hubs, setHubs] = useState<HubDestinationView[] | null>(null);
  const [editing, setEditing] = useState<HubDestinationView | 'new' | null>(null);
  const [removing, setRemoving] = useState<HubDestinationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .call('sync.hub.destinations', {})
      .then(setHubs, (failure: unknown) => setError(errorMessage(failure)));
  }, [api]);
  useEffect(load, [load]);

  const taken = new Set([
    ...(hubs ?? []).map((h) => h.id),
    ...status.destinations.map((d) => d.destinationId),
  ]);

  function remove(hub: HubDestinationView): void {
    setRemoving(null);
    setError(null);
    api.call('sync.hub.remove', { id: hub.id }).then(
      () => {
        setNote(`${hub.name} removed; its password was deleted from the keychain.`);
        load();
        onChanged();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }

  return (
    <fieldset className="panel" data-testid="hub-destinations">
      <legend>Neurosphere hubs</legend>
      <ErrorMessage message={error} />
      {hubs !== null && hubs.length === 0 && editing === null && (
        <p className="muted" data-testid="hub-none">
          No hub yet: this workstation keeps its records to itself.
        </p>
      )}
      {hubs !== null && hubs.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Hub</th>
              <th>Address</th>
              <th>Workstation</th>
              <th>Account</th>
              <th>Password</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hubs.map((h) => (
              <tr key={h.id} data-testid={`hub-row-${h.id}`}>
                <td>{h.name}</td>
                <td>
                  {h.url}
                  {h.caPem !== null && <span className="muted"> (pinned CA)</span>}
                </td>
                <td>{h.workstation}</td>
                <td>{h.username}</td>
                <td data-testid="hub-password-stored">
                  {h.passwordStored ? 'stored' : 'not stored'}
                </td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    data-testid="hub-edit"
                    onClick={() => setEditing(h)}
                  >
                    Edit
                  </button>{' '}
                  <button
                    type="button"
                    className="button small"
                    data-testid="hub-remove"
                    onClick={() => setRemoving(h)}
                  >
                    Remove
                  </button>
                  <HubTestButton destinationId={h.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {note !== null && (
        <p role="status" data-testid="hub-note">
          {note}
        </p>
      )}
      {editing === null ? (
        <button
          type="button"
          className="button"
          data-testid="hub-add"
          onClick={() => {
            setNote(null);
            setEditing('new');
          }}
        >
          Add a Neurosphere hub
        </button>
      ) : (
        <HubDestinationForm
          key={editing === 'new' ? 'new' : editing.id}
          hub={editing === 'new' ? null : editing}
          takenIds={taken}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setNote('Saved. The password is in the OS keychain. Use Test connection to check.');
            setEditing(null);
            load();
            onChanged();
          }}
        />
      )}
      {removing !== null && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove"
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
          testId="hub-remove-confirm"
        >
          Nothing more is sent to this hub and its password is deleted from the keychain. What the
          hub already has stays there.
        </ConfirmDialog>
      )}
    </fieldset>
  );
}
