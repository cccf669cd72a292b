import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataDirOrigin } from '../../../src-shared/first-run.js';

const APP_FOLDER = 'Neurosphere';

/** The OS's per-user application data folder, as Electron's app.getPath('userData') would give. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return join(env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'), APP_FOLDER);
  }
}

/** `--data-dir` wins over NEUROSPHERE_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  const fromEnv = env['NEUROSPHERE_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return defaultDataDir();
}

/** Which of the three chose the folder (the first-run wizard says so, and how to move it). */
export function dataDirOrigin(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DataDirOrigin {
  if (flag !== undefined && flag !== '') return 'flag';
  const fromEnv = env['NEUROSPHERE_DATA_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? 'environment' : 'os-default';
}
