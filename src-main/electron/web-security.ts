/**
 * Per-WebContents hardening (navigation, new windows, webviews), written against the small
 * slice of Electron's WebContents it uses so that tests can drive it with a fake.
 */
import { isAllowedExternalUrl, isAllowedNavigation } from './policy.js';

/** The parameter Electron passes to navigation events (an Electron `Event<…Params>`). */
export interface NavigationDetails {
  readonly url: string;
  preventDefault(): void;
}

/** What Electron's `setWindowOpenHandler` callback returns: we only ever deny. */
export interface WindowOpenDenial {
  readonly action: 'deny';
}

export interface HardenableContents {
  on(event: 'will-navigate', listener: (details: NavigationDetails) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: NavigationDetails) => void): unknown;
  on(event: 'will-redirect', listener: (details: NavigationDetails) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDenial): void;
}

export interface HardeningDeps {
  /** `shell.openExternal`; called only for allowlisted https URLs. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly allowlist?: readonly string[];
  readonly onBlocked?: (what: string, url: string) => void;
}

export function hardenWebContents(contents: HardenableContents, deps: HardeningDeps): void {
  const blockUnlessInApp =
    (what: string) =>
    (details: NavigationDetails): void => {
      if (isAllowedNavigation(details.url)) return;
      details.preventDefault();
      deps.onBlocked?.(what, details.url);
    };
  contents.on('will-navigate', blockUnlessInApp('navigation'));
  // Subframes navigate without 'will-navigate'; the app has none, so any that appears stays put.
  contents.on('will-frame-navigate', blockUnlessInApp('frame navigation'));
  contents.on('will-redirect', blockUnlessInApp('redirect'));

  // No second window ever opens inside the app; an allowlisted https link opens in the browser.
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, deps.allowlist)) {
      deps.openExternal(url).catch(() => deps.onBlocked?.('external link (failed)', url));
    } else {
      deps.onBlocked?.('new window', url);
    }
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.onBlocked?.('webview', '');
  });
}
