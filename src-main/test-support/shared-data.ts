import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/data next to the repository: public files that not every machine has. */
export const SHARED_DATA = resolve(import.meta.dirname, '../../../shared/data');

/** Whether a shared-data folder is present; says so on the console when it is not. */
export function hasSharedData(folder: string, marker: string): boolean {
  const present = existsSync(join(SHARED_DATA, folder, marker));
  if (!present) {
    console.warn(`[data suite] ${join(SHARED_DATA, folder)} is absent: its tests are skipped.`);
  }
  return present;
}

/** Whether a command-line tool (e.g. dcmtk's dcmdjpeg) can be run. */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(`[data suite] ${name} is not installed: comparisons against it are skipped.`);
    return false;
  }
}

/** A small CSV reader for the index files (quoted fields may contain commas). */
export function readCsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const split = (line: string): string[] => {
    const out: string[] = [];
    let field = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        out.push(field);
        field = '';
      } else field += ch;
    }
    out.push(field);
    return out;
  };
  const header = split(lines[0] ?? '');
  return lines.slice(1).map((line) => {
    const values = split(line);
    return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
}
