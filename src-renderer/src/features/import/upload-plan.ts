/** A file chosen for import, with its path relative to what was dropped or picked. */
export interface ChosenFile {
  readonly file: File;
  readonly path: string;
}

export interface PlannedFile extends ChosenFile {
  /** The name it is staged under on the server: safe characters, unique in the batch. */
  readonly uploadName: string;
}

/** A file the app refuses before sending it (the server would refuse it too). */
export interface LocalRejection {
  readonly path: string;
  readonly reason: string;
}

export interface UploadPlan {
  readonly files: readonly PlannedFile[];
  readonly rejected: readonly LocalRejection[];
  readonly totalBytes: number;
}

// Characters the server refuses in names (see src-main/core/uploads/upload-name.ts).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>:"|?*\\]/g;

/** A name the server accepts for a path: safe characters, no empty, "." or ".." parts. */
export function safeUploadName(path: string): string {
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) =>
      segment
        .replace(UNSAFE, '_')
        .replace(/[. ]+$/, '')
        .slice(0, 200),
    )
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return segments.length === 0 ? 'file' : segments.slice(-32).join('/');
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Which files to send under which names, and which to refuse at once (too large, empty). */
export function planUpload(chosen: readonly ChosenFile[], maxFileBytes: number): UploadPlan {
  const used = new Set<string>();
  const files: PlannedFile[] = [];
  const rejected: LocalRejection[] = [];
  let totalBytes = 0;
  for (const item of chosen) {
    if (item.file.size > maxFileBytes) {
      rejected.push({
        path: item.path,
        reason: `File is ${megabytes(item.file.size)}; the limit is ${megabytes(maxFileBytes)}.`,
      });
      continue;
    }
    const base = safeUploadName(item.path);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}~${n}`;
    used.add(name);
    files.push({ ...item, uploadName: name });
    totalBytes += item.file.size;
  }
  return { files, rejected, totalBytes };
}

/** Seconds left at the average rate so far; null until there is a rate to go by. */
export function remainingSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs < 500 || total <= done) return done >= total && total > 0 ? 0 : null;
  return ((total - done) * (elapsedMs / done)) / 1000;
}

/** The path shown for an item of the import report: relative to the staged upload folder. */
export function displayPath(path: string, stagingRoot: string | null): string {
  if (stagingRoot !== null && path.startsWith(`${stagingRoot}/`))
    return path.slice(stagingRoot.length + 1);
  return path;
}
