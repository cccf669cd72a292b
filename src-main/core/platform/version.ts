import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The app version from package.json, found relative to this module in src and in dist. */
export function appVersion(): string {
  for (const rel of ['../../../package.json', '../../../../package.json']) {
    try {
      const pkg = JSON.parse(
        readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8'),
      ) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'neurosphere' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/** The repository / install root (holds package.json, models/, dist/). */
export function appRoot(): string {
  for (const rel of ['../../../', '../../../../']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(dir + 'package.json', 'utf8')) as { name?: string };
      if (pkg.name === 'neurosphere') return dir;
    } catch {
      // try the next candidate
    }
  }
  return process.cwd();
}
