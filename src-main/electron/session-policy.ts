/**
 * The default session's policy: every permission request and check refused (camera,
 * notifications, USB, HID, serial…), and every request that would leave the app or read a
 * local file cancelled behind the CSP. Written against the slice of Electron's Session it uses,
 * so tests drive it with a fake (docs/electron-security.md, items 5 and 1).
 */
import { isBlockedRequestUrl } from './policy.js';

export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  readonly webRequest: {
    onBeforeRequest(
      listener: (
        details: { url: string },
        callback: (response: { cancel: boolean }) => void,
      ) => void,
    ): void;
  };
}

export function hardenSession(ses: HardenableSession): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: isBlockedRequestUrl(details.url) }),
  );
}
