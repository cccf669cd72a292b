/** Command-line and startup-failure handling for the desktop app, kept pure for tests. */
import { isAppError } from '../../src-shared/errors.js';

/**
 * The value of `--data-dir DIR` or `--data-dir=DIR`, or undefined. Electron passes its own
 * switches and, in development, the app path in argv too; only our flag is read.
 */
export function parseDataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data-dir') {
      const value = argv[i + 1];
      return value === undefined || value.startsWith('--') ? undefined : value;
    }
    if (arg?.startsWith('--data-dir=') === true) {
      const value = arg.slice('--data-dir='.length);
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

export interface StartupFailure {
  readonly title: string;
  readonly message: string;
}

/**
 * What the error dialog says when the core cannot start. Expected failures (an AppError such as
 * DATABASE_MISMATCH) carry a message written for the user; anything else is a bug, shown with
 * where the log is, since there is no window to show it in.
 */
export function describeStartupFailure(error: unknown, dataDir: string): StartupFailure {
  const title = 'Neurosphere cannot start';
  if (isAppError(error)) {
    return { title, message: `${error.message}\n\nData folder: ${dataDir}` };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return {
    title,
    message:
      `The data folder could not be opened: ${reason}\n\nData folder: ${dataDir}\n` +
      'Check that the folder exists, is writable and is not on a disconnected drive, then start Neurosphere again.',
  };
}
