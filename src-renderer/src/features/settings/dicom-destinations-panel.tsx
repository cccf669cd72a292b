import { useEffect, useState } from 'react';
import { hasDimse, type DicomDestination } from '../../../../src-shared/contract/dicom-node.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { DicomWebDestinationEditor } from './dicomweb-destination-editor.js';

const EMPTY = { name: '', aeTitle: '', host: '', port: '104', url: '' };

/** An id for a new destination from its name: lower-case letters, digits and "-". */
function idFor(name: string, taken: readonly DicomDestination[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'pacs';
  let id = base;
  for (let n = 2; taken.some((d) => d.id === id); n += 1) id = `${base}-${n}`;
  return id;
}

type EchoState =
  | { kind: 'testing' }
  | { kind: 'ok'; ms: number; how: string }
  | { kind: 'failed'; message: string };

/**
 * PACS destinations (AE title, host, port, and/or a DICOMweb URL): add, remove, and test each
 * (C-ECHO where DIMSE is configured, else a QIDO-RS search); the DICOMweb endpoint is edited in
 * `DicomWebDestinationEditor`.
 */
export function DicomDestinationsPanel() {
  const api = useApi();
  const [destinations, setDestinations] = useState<readonly DicomDestination[] | null>(null);
  const [draft, setDraft] = useState(EMPTY);
  const [echoes, setEchoes] = useState<ReadonlyMap<string, EchoState>>(new Map());
  const [error, setError] = useState<string | null>(null);
  /** The destination whose DICOMweb endpoint is being edited. */
  const [webOf, setWebOf] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    api.call('dicom.node.get', {}).then(
      (loaded) => isCurrent && setDestinations(loaded.destinations),
      (failure: unknown) => isCurrent && setError(errorMessage(failure)),
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  async function add(): Promise<void> {
    if (destinations === null) return;
    setError(null);
    try {
      // With a DICOMweb URL, AE title and host may stay empty (a DICOMweb-only destination);
      // the port field then counts only with them.
      const url = draft.url.trim();
      const dimseGiven = draft.aeTitle.trim() !== '' || draft.host.trim() !== '' || url === '';
      const saved = await api.call('dicom.destinations.save', {
        id: idFor(draft.name, destinations),
        name: draft.name,
        ...(dimseGiven && {
          ...(draft.aeTitle.trim() !== '' && { aeTitle: draft.aeTitle }),
          ...(draft.host.trim() !== '' && { host: draft.host }),
          ...(draft.port.trim() !== '' && { port: Number(draft.port) }),
        }),
        ...(url !== '' && { dicomweb: { url, auth: 'none' as const } }),
      });
      setDestinations(saved);
      setDraft(EMPTY);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function remove(id: string): Promise<void> {
    setError(null);
    try {
      setDestinations(await api.call('dicom.destinations.remove', { id }));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  /** C-ECHO where DIMSE is configured; a DICOMweb-only destination is tested by QIDO-RS. */
  function test(destination: DicomDestination): void {
    const id = destination.id;
    const set = (state: EchoState): void => setEchoes((current) => new Map(current).set(id, state));
    set({ kind: 'testing' });
    const how = hasDimse(destination) ? 'C-ECHO' : 'QIDO-RS search';
    api.call(hasDimse(destination) ? 'dicom.echo' : 'dicomweb.test', { destinationId: id }).then(
      ({ ms }) => set({ kind: 'ok', ms, how }),
      (failure: unknown) => set({ kind: 'failed', message: errorMessage(failure) }),
    );
  }

  return (
    <div data-testid="dicom-destinations">
      <h4>PACS destinations</h4>
      <ErrorMessage message={error} />
      {destinations !== null && destinations.length === 0 && (
        <p className="muted" data-testid="dicom-destinations-empty">
          No PACS yet: add one to query it, pull prior studies and send results.
        </p>
      )}
      {destinations !== null && destinations.length > 0 && (
        <div className="table-wrap">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">AE title</th>
                <th scope="col">Host</th>
                <th scope="col">Port</th>
                <th scope="col">DICOMweb</th>
                <th scope="col">Connection</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {destinations.map((d) => {
                const echo = echoes.get(d.id);
                return (
                  <tr key={d.id} data-testid={`dicom-destination-${d.id}`}>
                    <td>{d.name}</td>
                    <td className="mono numeric">{d.aeTitle ?? '—'}</td>
                    <td className="mono numeric">{d.host ?? '—'}</td>
                    <td className="numeric">{d.port ?? '—'}</td>
                    <td className="mono" data-testid="dicomweb-url-cell">
                      {d.dicomweb?.url ?? '—'}
                    </td>
                    <td data-testid="dicom-echo-result">
                      {echo === undefined ? (
                        ''
                      ) : echo.kind === 'testing' ? (
                        'Testing…'
                      ) : echo.kind === 'ok' ? (
                        `OK: answered the ${echo.how} in ${Math.round(echo.ms)} ms`
                      ) : (
                        <span className="row-error">{echo.message}</span>
                      )}
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button"
                          disabled={echo?.kind === 'testing'}
                          onClick={() => test(d)}
                          data-testid="dicom-echo"
                        >
                          Test connection
                        </button>
                        <button
                          type="button"
                          className="button"
                          aria-expanded={webOf === d.id}
                          onClick={() => setWebOf(webOf === d.id ? null : d.id)}
                          data-testid="dicomweb-edit"
                        >
                          DICOMweb…
                        </button>
                        <button
                          type="button"
                          className="button"
                          onClick={() => void remove(d.id)}
                          aria-label={`Remove ${d.name}`}
                          data-testid="dicom-destination-remove"
                        >
                          Remove
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {destinations?.find((d) => d.id === webOf) !== undefined && (
        <DicomWebDestinationEditor
          destination={destinations.find((d) => d.id === webOf)!}
          onSaved={setDestinations}
        />
      )}
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input
            value={draft.name}
            placeholder="Hospital PACS"
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            data-testid="dicom-destination-name"
          />
        </label>
        <label className="field">
          <span>AE title</span>
          <input
            value={draft.aeTitle}
            maxLength={16}
            onChange={(e) => setDraft({ ...draft, aeTitle: e.target.value })}
            data-testid="dicom-destination-ae"
          />
        </label>
        <label className="field">
          <span>Host</span>
          <input
            value={draft.host}
            placeholder="pacs.local or 10.0.0.5"
            onChange={(e) => setDraft({ ...draft, host: e.target.value })}
            data-testid="dicom-destination-host"
          />
        </label>
        <label className="field">
          <span>Port</span>
          <input
            type="number"
            min={1}
            max={65535}
            value={draft.port}
            onChange={(e) => setDraft({ ...draft, port: e.target.value })}
            data-testid="dicom-destination-port"
          />
        </label>
        <label className="field">
          <span>DICOMweb URL (optional)</span>
          <input
            value={draft.url}
            placeholder="https://pacs.local/dicom-web"
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
            data-testid="dicom-destination-url"
          />
        </label>
        <button
          type="submit"
          className="button primary"
          disabled={destinations === null || draft.name.trim() === ''}
          data-testid="dicom-destination-add"
        >
          Add PACS
        </button>
      </form>
    </div>
  );
}
