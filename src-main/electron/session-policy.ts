/**
 * The default session's policy: every permission request and check refused (camera,
 * notifications, USB, HID, serial…) except the microphone for the app's own pages (voice
 * captions record audio), and every request that would leave the app or read a local file
 * cancelled behind the CSP. Written against the slice of Electron's Session it uses, so tests
 * drive it with a fake (docs/electron-security.md, items 5 and 1).
 */
import { APP_SCHEME, isBlockedRequestUrl } from './policy.js';

/** What Electron passes with a permission request (only the fields the policy reads). */
export interface PermissionRequestDetails {
  mediaTypes?: string[];
  requestingUrl?: string;
}

/** What Electron passes with a permission check (only the fields the policy reads). */
export interface PermissionCheckDetails {
  mediaType?: string;
  requestingUrl?: string;
}

export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details?: PermissionRequestDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      contents: unknown,
      permission: string,
      requestingOrigin: string,
      details?: PermissionCheckDetails,
    ) => boolean,
  ): void;
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

function isAppPage(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${APP_SCHEME}://`);
}

/**
 * The one permission granted: audio capture (never the camera, never screen capture) asked by a
 * page of the app itself, for recording a voice caption. The OS still asks the user where it
 * guards the microphone (macOS, Windows privacy settings).
 */
export function isAppMicrophoneRequest(
  permission: string,
  details: PermissionRequestDetails | undefined,
): boolean {
  const types = details?.mediaTypes ?? [];
  return (
    permission === 'media' &&
    types.length > 0 &&
    types.every((type) => type === 'audio') &&
    isAppPage(details?.requestingUrl)
  );
}

export function isAppMicrophoneCheck(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckDetails | undefined,
): boolean {
  return (
    permission === 'media' &&
    details?.mediaType === 'audio' &&
    isAppPage(requestingOrigin) &&
    (details.requestingUrl === undefined || isAppPage(details.requestingUrl))
  );
}

export function hardenSession(ses: HardenableSession): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isAppMicrophoneRequest(permission, details)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isAppMicrophoneCheck(permission, requestingOrigin, details),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: isBlockedRequestUrl(details.url) }),
  );
}
