import { basename, dirname, extname, relative, sep } from 'node:path';

/** "brain.nii.gz" → "brain", "slice.png" → "slice", "IM0001" → "IM0001". */
export function stripExtension(fileName: string): string {
  const lower = fileName.toLowerCase();
  // .nii.gz is one extension to a reader: "brain_mask.nii.gz", never "brain.nii_mask.nii.gz".
  if (lower.endsWith('.nii.gz')) return fileName.slice(0, -'.nii.gz'.length);
  const extension = extname(fileName);
  return extension === '' || extension === fileName
    ? fileName
    : fileName.slice(0, -extension.length);
}

/**
 * The name an input's outputs are called after: a single file's name without its extension;
 * for a series of files, the folder that holds them (what an operator calls "the series"), or
 * the first file's name when they are spread over several folders.
 */
export function outputBaseName(paths: readonly string[], fallback: string): string {
  const [first] = paths;
  if (first === undefined) return fallback;
  if (paths.length === 1) return nonEmpty(stripExtension(basename(first)), fallback);
  const folder = dirname(first);
  const isOneFolder = paths.every((path) => dirname(path) === folder);
  return nonEmpty(isOneFolder ? basename(folder) : stripExtension(basename(first)), fallback);
}

/**
 * The name with the characters Windows refuses in file names (and that ZIP entries cannot hold:
 * folder separators) replaced by "_": a download is opened on any system.
 */
export function portableFileName(name: string): string {
  return [...name]
    .map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('');
}

function nonEmpty(name: string, fallback: string): string {
  // basename('/') is '': a series stored at the root of a drive still needs a name; '.' is the
  // folder of files uploaded without one.
  return name === '' || name === '.' ? fallback : name;
}

/**
 * A path as its user knew it. Files uploaded from a browser are staged as
 * `<stagingDir>/<batch id>/files/<path the browser sent>`: only that last part names anything
 * (a staged series would otherwise be called "files"). Other paths are returned unchanged.
 */
export function pathAsUploaded(path: string, stagingDir: string): string {
  const inside = relative(stagingDir, path);
  if (inside.startsWith('..') || inside === path) return path;
  const [, staging, ...rest] = inside.split(sep);
  return staging === 'files' && rest.length > 0 ? rest.join(sep) : path;
}

/**
 * Hands out names that do not clash: "series", "series-2", "series-3". Compared without case,
 * because the outputs may land on a case-insensitive disk (Windows, macOS, a USB stick).
 */
export function createNameAllocator(): (name: string) => string {
  const taken = new Set<string>();
  return (name) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}-${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}
