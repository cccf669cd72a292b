import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { isAbsolute, sep } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { SettingsRepo } from '../system/settings-repo.js';

const KEY = 'import.allowedRoots';

/**
 * The folders on the server from which a remote caller (serve mode's HTTP API) may import by
 * path. Set by an administrator; empty by default, so serve mode imports only uploads until one
 * is set. Paths are compared after resolving symlinks, so a link inside an allowed folder that
 * points outside it is refused. The desktop app and the CLI act for the machine's own user and
 * are not limited.
 */
export function createImportRoots(deps: { settings: SettingsRepo; clock: Clock }) {
  function list(): string[] {
    const stored = deps.settings.get(KEY);
    if (stored === undefined) return [];
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  }

  /** One answer for a missing, unreadable or disallowed path: no oracle of what exists. */
  const refused = (path: string): AppError =>
    new AppError(
      'PERMISSION_DENIED',
      `Cannot import "${path}": it does not exist, cannot be read, or is outside the folders an administrator allowed for import over the network. Upload the files instead, or ask an administrator.`,
    );

  return {
    list,

    /** Replaces the list; each folder must exist; it is stored resolved (symlinks followed). */
    set(roots: readonly string[]): string[] {
      const resolved = roots.map((root) => {
        if (!isAbsolute(root))
          throw new AppError(
            'INVALID_INPUT',
            `"${root}" is not an absolute path: give the full path.`,
          );
        let real: string;
        try {
          real = realpathSync(root);
        } catch {
          throw new AppError('NOT_FOUND', `The folder "${root}" does not exist on the server.`);
        }
        if (!statSync(real).isDirectory())
          throw new AppError('INVALID_INPUT', `"${root}" is a file: allow folders only.`);
        return real;
      });
      const unique = [...new Set(resolved)];
      deps.settings.set(KEY, JSON.stringify(unique), deps.clock.iso());
      return unique;
    },

    /**
     * The real paths of `paths` when each is inside an allowed folder and readable; otherwise
     * the same refusal whatever the reason.
     */
    check(paths: readonly string[]): string[] {
      const roots = list();
      if (roots.length === 0)
        throw new AppError(
          'PERMISSION_DENIED',
          'Importing server folders over the network is off: no folder is allowed for it. Upload the files instead, or ask an administrator to allow a folder.',
        );
      return paths.map((path) => {
        let real: string;
        try {
          real = realpathSync(path);
          accessSync(real, constants.R_OK);
        } catch {
          throw refused(path);
        }
        const inside = roots.some((root) => real === root || real.startsWith(root + sep));
        if (!inside) throw refused(path);
        return real;
      });
    },
  };
}
export type ImportRoots = ReturnType<typeof createImportRoots>;
