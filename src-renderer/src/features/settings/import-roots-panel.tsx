import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

/**
 * Serve mode's import allow-list, for administrators: the server folders a browser user may
 * import from by path. Each folder is checked on the server when added (it must exist and be a
 * folder); the desktop app and the CLI act for the machine's own user and are not limited.
 */
export function ImportRootsPanel() {
  const api = useApi();
  const [roots, setRoots] = useState<readonly string[] | null>(null);
  const [folder, setFolder] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    api.call('importRoots.get', {}).then(
      (loaded) => isCurrent && setRoots(loaded.roots),
      (failure: unknown) => isCurrent && setError(errorMessage(failure)),
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  async function save(next: readonly string[], done: string): Promise<boolean> {
    setIsSaving(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await api.call('importRoots.set', { roots: [...next] });
      setRoots(saved.roots);
      setNotice(done);
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setIsSaving(false);
    }
  }

  async function add(): Promise<void> {
    const path = folder.trim();
    if (path === '' || roots === null) return;
    if (await save([...roots, path], `Allowed ${path}.`)) setFolder('');
  }

  return (
    <section
      className="panel"
      aria-labelledby="import-roots-title"
      data-testid="import-roots-panel"
    >
      <h3 id="import-roots-title" className="panel-header">
        Server folders for import
      </h3>
      <p className="muted small-note">
        In browser mode, users may import files by path only from these folders on the server
        (symbolic links leading outside them are refused). With none, they upload files instead. The
        desktop app is not limited.
      </p>
      <ErrorMessage message={error} />
      {notice !== null && (
        <p className="muted" role="status" data-testid="import-roots-notice">
          {notice}
        </p>
      )}
      {roots !== null && roots.length === 0 && (
        <p data-testid="import-roots-empty">No folder is allowed: browser users upload files.</p>
      )}
      <ul className="plain-list" data-testid="import-roots-list">
        {(roots ?? []).map((root) => (
          <li key={root} className="toolbar" data-testid="import-root">
            <span className="mono grow">{root}</span>
            <button
              type="button"
              className="button"
              disabled={isSaving}
              onClick={() =>
                void save(
                  (roots ?? []).filter((r) => r !== root),
                  `${root} is no longer allowed.`,
                )
              }
              aria-label={`Remove ${root}`}
              data-testid="import-root-remove"
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className="field grow">
          <span>Folder on the server (full path)</span>
          <input
            value={folder}
            placeholder="/srv/modality-exports"
            onChange={(e) => setFolder(e.target.value)}
            data-testid="import-root-input"
          />
        </label>
        <button
          type="submit"
          className="button primary"
          disabled={isSaving || roots === null || folder.trim() === ''}
          data-testid="import-root-add"
        >
          Allow folder
        </button>
      </form>
    </section>
  );
}
