import { useState } from 'react';
import { hubUrlProblem } from '../../../../src-shared/contract/hub-url.js';
import type { HubDestinationView } from '../../../../src-shared/contract/sync.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { PinnedCaField, SecretField } from '../../ui/credential-fields.js';
import { ErrorMessage } from '../../ui/error-message.js';

interface Draft {
  name: string;
  url: string;
  workstation: string;
  username: string;
  /** Typed only to be sent to the keychain; never loaded back. */
  password: string;
  caPem: string;
}

const EMPTY: Draft = { name: '', url: '', workstation: '', username: '', password: '', caPem: '' };

function draftOf(hub: HubDestinationView | null): Draft {
  if (hub === null) return EMPTY;
  const { name, url, workstation, username } = hub;
  return { name, url, workstation, username, password: '', caPem: hub.caPem ?? '' };
}

/** An id for a new hub from its name: lower-case letters, digits and dashes, unused. */
function idFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 34) || 'hub';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * Adds or edits a Neurosphere hub destination (docs/hub-sync.md): its address (https beyond this
 * machine), this workstation's name there, the hub account, its password (into the OS keychain,
 * never shown back) and an optional pinned CA.
 */
export function HubDestinationForm(props: {
  /** null: a new hub. */
  hub: HubDestinationView | null;
  /** Ids in use (hubs and PACS), so a new hub gets a free one. */
  takenIds: ReadonlySet<string>;
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const { hub } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(hub));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const urlProblem = draft.url.trim() === '' ? null : hubUrlProblem(draft.url);

  function save(): void {
    setError(null);
    const id = hub?.id ?? idFor(draft.name, props.takenIds);
    setBusy(true);
    api
      .call('sync.hub.save', {
        id,
        name: draft.name.trim(),
        url: draft.url.trim(),
        workstation: draft.workstation.trim(),
        username: draft.username.trim(),
        caPem: draft.caPem.trim() === '' ? null : draft.caPem.trim(),
        ...(draft.password !== '' && { password: draft.password }),
      })
      .then(
        () => {
          setDraft((d) => ({ ...d, password: '' }));
          props.onSaved(id);
        },
        (failure: unknown) => setError(errorMessage(failure)),
      )
      .finally(() => setBusy(false));
  }

  const field = (key: 'name' | 'url' | 'workstation' | 'username', label: string, hint: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={draft[key]}
        placeholder={hint}
        autoComplete="off"
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`hub-${key}`}
      />
    </label>
  );

  return (
    <section className="panel" data-testid="hub-form">
      <h3>{hub === null ? 'Add a Neurosphere hub' : `Edit ${hub.name}`}</h3>
      <p className="muted">
        A hub is another Neurosphere server (<code>neurosphere serve</code>) that collects this
        workstation&apos;s records. At the hub, create an account with the role
        &quot;workstation&quot; for this machine.
      </p>
      <ErrorMessage message={error} />
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {field('name', 'Name', 'Clinic hub')}
        <label className="field">
          <span>Hub address</span>
          <input
            value={draft.url}
            placeholder="https://hub.clinic.local:8443"
            autoComplete="off"
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
            data-testid="hub-url"
          />
          <small className={urlProblem === null ? 'muted' : 'row-error'} data-testid="hub-url-rule">
            {urlProblem ??
              'https is required unless the hub runs on this machine: records and the password would otherwise cross the network readable.'}
          </small>
        </label>
        {field('workstation', 'This workstation’s name at the hub', 'ward-3-ws')}
        {field('username', 'Hub account (user name)', 'ward-3-ws')}
        <SecretField
          label="Password"
          value={draft.password}
          stored={hub === null ? false : hub.passwordStored}
          onChange={(password) => setDraft({ ...draft, password })}
          testId="hub-password"
        />
        {/^https:/i.test(draft.url.trim()) && (
          <PinnedCaField
            value={draft.caPem}
            onChange={(caPem) => setDraft({ ...draft, caPem })}
            forWhom="this hub"
            testId="hub-ca"
          />
        )}
        <div className="row-actions wide">
          <button
            type="submit"
            className="button primary"
            disabled={
              busy ||
              urlProblem !== null ||
              draft.name.trim() === '' ||
              draft.url.trim() === '' ||
              draft.workstation.trim() === '' ||
              draft.username.trim() === '' ||
              (hub === null && draft.password === '')
            }
            data-testid="hub-save"
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            className="button"
            onClick={props.onCancel}
            data-testid="hub-cancel"
          >
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
