import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportItem } from '../../../src-shared/contract/entities.js';

export interface CollectedFiles {
  files: string[];
  /** Paths that could not be read at all (missing, no permission). */
  problems: ImportItem[];
}

/** Hidden files and OS clutter that are never images (Finder, Explorer, CD indexes). */
const SKIPPED_NAMES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * Expands the given files and folders into a sorted list of files, recursing into folders,
 * following no symbolic-link loops and stopping at `maxFiles`.
 */
export async function collectFiles(
  paths: readonly string[],
  options: { maxFiles: number; signal?: AbortSignal },
): Promise<CollectedFiles> {
  const files: string[] = [];
  const problems: ImportItem[] = [];
  const visited = new Set<string>();

  async function visit(path: string): Promise<void> {
    options.signal?.throwIfAborted();
    if (files.length >= options.maxFiles) return;
    let info;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) {
        const target = await realpath(path);
        if (visited.has(target)) return;
        info = await lstat(target);
        path = target;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({
        path,
        status: 'rejected',
        code: 'NOT_FOUND',
        reason: code === 'EACCES' ? 'No permission to read this path' : 'This path does not exist',
      });
      return;
    }
    if (info.isDirectory()) {
      if (visited.has(path)) return;
      visited.add(path);
      let entries: string[];
      try {
        entries = (await readdir(path)).sort();
      } catch {
        problems.push({
          path,
          status: 'rejected',
          code: 'NOT_FOUND',
          reason: 'This folder cannot be read',
        });
        return;
      }
      for (const name of entries) {
        if (SKIPPED_NAMES.has(name) || name.startsWith('._')) continue;
        await visit(join(path, name));
      }
    } else if (info.isFile()) {
      files.push(path);
    }
  }

  for (const path of paths) await visit(path);
  if (files.length >= options.maxFiles) {
    // Say so rather than silently import part of a huge selection.
    problems.push({
      path: paths.join(', '),
      status: 'rejected',
      code: 'INVALID_INPUT',
      reason: `Only the first ${options.maxFiles} files were imported: import the rest of the folder separately.`,
    });
  }
  return { files, problems };
}
