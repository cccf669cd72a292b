import { describe, expect, it } from 'vitest';
import { buildWindowOptions } from './window-options.js';

describe('buildWindowOptions', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security', () => {
    const prefs = buildWindowOptions({
      preloadPath: '/app/preload.cjs',
      isPackaged: true,
    }).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('enables developer tools only in development builds', () => {
    expect(
      buildWindowOptions({ preloadPath: 'p', isPackaged: true }).webPreferences?.devTools,
    ).toBe(false);
    expect(
      buildWindowOptions({ preloadPath: 'p', isPackaged: false }).webPreferences?.devTools,
    ).toBe(true);
  });

  it('waits for the first frame on a dark background and fits a 1366×768 screen', () => {
    const options = buildWindowOptions({ preloadPath: 'p', isPackaged: true });
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(options.minWidth).toBeLessThanOrEqual(1366);
    expect(options.minHeight).toBeLessThanOrEqual(768);
  });
});
