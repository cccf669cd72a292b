import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { SettingsRepo } from '../system/settings-repo.js';

const KEY = 'updates.feedUrl';

/**
 * Checks the address of a clinic's update server (an electron-updater "generic" feed): https
 * only, no credentials, no query or fragment. '' clears it. Answers the normalised address.
 */
export function validateFeedUrl(text: string): string {
  const value = text.trim();
  if (value === '') return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `"${value}" is not a web address. Give the full address of the update server, e.g. https://updates.clinic.example/neurosphere/.`,
    );
  }
  if (url.protocol !== 'https:')
    throw new AppError(
      'INVALID_INPUT',
      `The update server must be an https:// address (not ${url.protocol.replace(':', '')}): an update fetched without TLS could be swapped on the way.`,
    );
  if (url.username !== '' || url.password !== '')
    throw new AppError(
      'INVALID_INPUT',
      'Do not put a user name or password in the address: they would be stored in plain text.',
    );
  if (url.search !== '' || url.hash !== '')
    throw new AppError(
      'INVALID_INPUT',
      'Give the folder of the update server without "?…" or "#…": electron-updater adds the file names itself.',
    );
  // electron-updater appends latest.yml etc.: a folder address ends with a slash.
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The feed address kept in the site settings. */
export function createUpdateFeed(deps: { settings: SettingsRepo; clock: Clock }) {
  return {
    get: (): string => deps.settings.get(KEY) ?? '',
    set(text: string): string {
      const url = validateFeedUrl(text);
      deps.settings.set(KEY, url === '' ? null : url, deps.clock.iso());
      return url;
    },
  };
}
export type UpdateFeed = ReturnType<typeof createUpdateFeed>;
