// Connected updates for sites with a network: electron-updater against the clinic's own update
// server (a "generic" feed: latest.yml and the installers, published by electron-builder).
// Nothing here runs by itself: the core's state machine (core/update/online-update-state.ts)
// calls check, download and install only on an administrator's action.
import electronUpdater, { type ProgressInfo } from 'electron-updater';
import type { UpdaterDriver } from '../core/index.js';

export function electronUpdaterDriver(): UpdaterDriver {
  const { autoUpdater } = electronUpdater;
  // Never download or install behind the admin's back.
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  return {
    async check(feedUrl) {
      autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
      const result = await autoUpdater.checkForUpdates();
      return { version: result?.isUpdateAvailable === true ? result.updateInfo.version : null };
    },
    async download(onProgress) {
      const listener = (progress: ProgressInfo): void => onProgress(progress.percent);
      autoUpdater.on('download-progress', listener);
      try {
        await autoUpdater.downloadUpdate();
      } finally {
        autoUpdater.off('download-progress', listener);
      }
    },
    install() {
      // Silent on Windows (the per-machine NSIS asks for elevation itself), restart afterwards.
      autoUpdater.quitAndInstall(true, true);
    },
  };
}
