import { useCallback, useEffect, useState } from 'react';
import type { ImportPickKind } from '../../../src-shared/bridge.js';
import { roleHasPermission } from '../../../src-shared/roles.js';
import { useApi, useSession } from '../api/api-context.js';
import { errorMessage } from '../api/client.js';

export interface DesktopImport {
  /** Only the desktop app can show a native file dialog. */
  readonly isAvailable: boolean;
  readonly isAllowed: boolean;
  readonly isBusy: boolean;
  readonly error: string | null;
  start(kind: ImportPickKind): void;
  dismissError(): void;
}

/**
 * Import from the native dialog, started by a button or by File › Import…: pick paths, then
 * `import.files` with the user's own session, then show the Jobs page where the import runs.
 */
export function useDesktopImport(onStarted: () => void): DesktopImport {
  const api = useApi();
  const session = useSession();
  const desktop = api.desktop;
  const isAllowed = session !== null && roleHasPermission(session.user.role, 'import.run');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = useCallback(
    (kind: ImportPickKind) => {
      if (desktop === null || isBusy) return;
      if (!isAllowed) {
        setError('Your role may not import scans. Ask an administrator.');
        return;
      }
      setIsBusy(true);
      setError(null);
      desktop
        .chooseImportPaths(kind)
        .then(async (paths) => {
          if (paths.length === 0) return;
          await api.call('import.files', { paths });
          onStarted();
        })
        .catch((failure: unknown) => setError(errorMessage(failure)))
        .finally(() => setIsBusy(false));
    },
    [api, desktop, isAllowed, isBusy, onStarted],
  );

  useEffect(() => {
    if (desktop === null) return;
    return desktop.onMenuCommand((command) =>
      start(command === 'import-folder' ? 'folder' : 'files'),
    );
  }, [desktop, start]);

  return {
    isAvailable: desktop !== null,
    isAllowed,
    isBusy,
    error,
    start,
    dismissError: () => setError(null),
  };
}
