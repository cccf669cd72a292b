import { useEffect, useState } from 'react';
import {
  hasDimse,
  type DicomDestination,
  type DicomWebEndpoint,
} from '../../../../src-shared/contract/dicom-node.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { PinnedCaField, SecretField } from '../../ui/credential-fields.js';
import { ErrorMessage } from '../../ui/error-message.js';

type Auth = DicomWebEndpoint['auth'];

interface Draft {
  url: string;
  auth: Auth;
  username: string;
  /** Typed here only to be sent to the keychain; never loaded back. */
  secret: string;
  caPem: string;
}

function draftOf(d: DicomDestination): Draft {
  return {
    url: d.dicomweb?.url ?? '',
    auth: d.dicomweb?.auth ?? 'none',
    username: d.dicomweb?.username ?? '',
    secret: '',
    caPem: d.dicomweb?.caPem ?? '',
  };
}

type TestState =
  { kind: 'testing' } | { kind: 'ok'; ms: number } | { kind: 'failed'; message: string };

/**
 * A PACS destination's DICOMweb endpoint (docs/dicomweb.md): URL, authentication, the password
 * or token (written to the OS keychain, never shown back: only whether one is stored), a pinned
 * CA for HTTPS, and a test by QIDO-RS. Sync then sends to this PACS by STOW-RS.
 */
export function DicomWebDestinationEditor(props: {
  destination: DicomDestination;
  onSaved: (list: readonly DicomDestination[]) => void;
}) {
  const api = useApi();
  const { destination } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(destination));
  const [stored, setStored] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [testState, setTestState] = useState<TestState | null>(null);

  useEffect(() => {
    let isCurrent = true;
    setDraft(draftOf(destination));
    api.call('dicomweb.secret.get', { destinationId: destination.id }).then(
      (state) => isCurrent && setStored(state.stored),
      (failure: unknown) => isCurrent && setError(errorMessage(failure)),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, destination]);

  async function save(removeEndpoint = false): Promise<void> {
    setError(null);
    setSaved(false);
    try {
      const { dicomweb: _old, ...rest } = destination;
      const next: DicomDestination = removeEndpoint
        ? rest
        : {
            ...rest,
            dicomweb: {
              url: draft.url.trim(),
              auth: draft.auth,
              ...(draft.auth === 'basic' && { username: draft.username.trim() }),
              ...(draft.caPem.trim() !== '' && { caPem: draft.caPem.trim() }),
            },
          };
      const list = await api.call('dicom.destinations.save', next);
      if (!removeEndpoint && draft.auth !== 'none' && draft.secret !== '') {
        const state = await api.call('dicomweb.secret.set', {
          destinationId: destination.id,
          secret: draft.secret,
        });
        setStored(state.stored);
      }
      if (removeEndpoint || draft.auth === 'none') {
        const state = await api.call('dicomweb.secret.set', {
          destinationId: destination.id,
          secret: '',
        });
        setStored(state.stored);
      }
      setDraft((d) => ({ ...d, secret: '' }));
      setSaved(true);
      props.onSaved(list);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  function test(): void {
    setTestState({ kind: 'testing' });
    api.call('dicomweb.test', { destinationId: destination.id }).then(
      ({ ms }) => setTestState({ kind: 'ok', ms }),
      (failure: unknown) => setTestState({ kind: 'failed', message: errorMessage(failure) }),
    );
  }

  const secretWord = draft.auth === 'basic' ? 'Password' : 'Token';
  return (
    <section className="panel" data-testid={`dicomweb-editor-${destination.id}`}>
      <h4>DICOMweb of {destination.name}</h4>
      <p className="muted">
        With a DICOMweb URL, the sync sends to this PACS by STOW-RS, and studies can be searched
        (QIDO-RS) and pulled (WADO-RS) over HTTP(S).
      </p>
      <ErrorMessage message={error} />
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          <span>DICOMweb URL</span>
          <input
            value={draft.url}
            placeholder="https://pacs.example.org/dicom-web"
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
            data-testid="dicomweb-url"
          />
        </label>
        <label className="field">
          <span>Authentication</span>
          <select
            value={draft.auth}
            onChange={(e) => setDraft({ ...draft, auth: e.target.value as Auth })}
            data-testid="dicomweb-auth"
          >
            <option value="none">None</option>
            <option value="basic">User name and password</option>
            <option value="bearer">Bearer token</option>
          </select>
        </label>
        {draft.auth === 'basic' && (
          <label className="field">
            <span>User name</span>
            <input
              value={draft.username}
              autoComplete="off"
              onChange={(e) => setDraft({ ...draft, username: e.target.value })}
              data-testid="dicomweb-username"
            />
          </label>
        )}
        {draft.auth !== 'none' && (
          <SecretField
            label={secretWord}
            value={draft.secret}
            stored={stored}
            onChange={(secret) => setDraft({ ...draft, secret })}
            testId="dicomweb-secret"
          />
        )}
        {/^https:/i.test(draft.url.trim()) && (
          <PinnedCaField
            value={draft.caPem}
            onChange={(caPem) => setDraft({ ...draft, caPem })}
            forWhom="this PACS"
            testId="dicomweb-ca"
          />
        )}
        <div className="row-actions wide">
          <button
            type="submit"
            className="button primary"
            disabled={draft.url.trim() === ''}
            data-testid="dicomweb-save"
          >
            Save DICOMweb
          </button>
          <button
            type="button"
            className="button"
            disabled={destination.dicomweb === undefined || testState?.kind === 'testing'}
            onClick={test}
            data-testid="dicomweb-test"
          >
            Test DICOMweb connection
          </button>
          {destination.dicomweb !== undefined && !hasDimse(destination) && (
            <span className="muted" data-testid="dicomweb-only">
              DICOMweb only: to stop using it, remove the destination.
            </span>
          )}
          {destination.dicomweb !== undefined && hasDimse(destination) && (
            <button
              type="button"
              className="button"
              onClick={() => void save(true)}
              data-testid="dicomweb-remove"
            >
              Remove DICOMweb
            </button>
          )}
        </div>
      </form>
      <p data-testid="dicomweb-status" role="status">
        {saved && 'Saved.'}{' '}
        {testState === null ? (
          ''
        ) : testState.kind === 'testing' ? (
          'Testing…'
        ) : testState.kind === 'ok' ? (
          `OK: answered a QIDO-RS search in ${Math.round(testState.ms)} ms`
        ) : (
          <span className="row-error">{testState.message}</span>
        )}
      </p>
    </section>
  );
}
