import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from './policy.js';
import {
  hardenWebContents,
  type HardenableContents,
  type NavigationDetails,
  type WindowOpenDenial,
} from './web-security.js';

type Listener = (details: NavigationDetails) => void;

/** A stand-in for Electron's WebContents that records the listeners it is given. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => WindowOpenDenial) | undefined;
  const contents: HardenableContents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  };
  return {
    contents,
    /** Fires an event and reports whether the listener prevented it. */
    fire(event: string, url: string): boolean {
      let isPrevented = false;
      const listener = listeners.get(event);
      if (listener === undefined) throw new Error(`no listener for ${event}`);
      listener({ url, preventDefault: () => (isPrevented = true) });
      return isPrevented;
    },
    open(url: string): WindowOpenDenial {
      if (openHandler === undefined) throw new Error('no window open handler');
      return openHandler({ url });
    },
  };
}

function setup(allowlist: readonly string[] = []) {
  const fake = fakeContents();
  const opened: string[] = [];
  const blocked: string[] = [];
  hardenWebContents(fake.contents, {
    openExternal: async (url) => {
      opened.push(url);
    },
    allowlist,
    onBlocked: (what, url) => blocked.push(`${what} ${url}`),
  });
  return { ...fake, opened, blocked };
}

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: stays within the app and blocks everything else',
    (event) => {
      const { fire, blocked } = setup();
      expect(fire(event, `${APP_ENTRY_URL}#/jobs`)).toBe(false);
      expect(fire(event, 'https://evil.example/phish')).toBe(true);
      expect(fire(event, 'file:///etc/passwd')).toBe(true);
      expect(fire(event, 'neurosphere-app://app.evil/')).toBe(true);
      expect(blocked).toHaveLength(3);
    },
  );

  it('denies every new window and opens nothing by default', () => {
    const { open, opened } = setup();
    expect(open('https://example.org/')).toEqual({ action: 'deny' });
    expect(open(`${APP_ENTRY_URL}`)).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });

  it('hands allowlisted https links to the system browser, still without a new window', () => {
    const { open, opened } = setup(['https://docs.neurosphere.example']);
    expect(open('https://docs.neurosphere.example/manual')).toEqual({ action: 'deny' });
    expect(open('http://docs.neurosphere.example/manual')).toEqual({ action: 'deny' });
    expect(open('https://elsewhere.example/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.neurosphere.example/manual']);
  });

  it('prevents attaching webviews', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview', '')).toBe(true);
  });
});
