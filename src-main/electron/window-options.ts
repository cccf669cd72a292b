/**
 * The main window's options as data, so the security-relevant webPreferences are unit-tested.
 * Type-only Electron import.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The reading-room background, painted before the renderer's first frame (no white flash). */
export const WINDOW_BACKGROUND = '#0b0f14';

export interface WindowOptionsInput {
  /** Absolute path of the compiled preload (preload.cjs). */
  readonly preloadPath: string;
  readonly isPackaged: boolean;
}

export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    // The UI is designed to work down to a 1366×768 screen, minus the taskbar.
    minWidth: 1024,
    minHeight: 640,
    title: 'Neurosphere',
    backgroundColor: WINDOW_BACKGROUND,
    // Shown on 'ready-to-show' so the user never sees an empty window.
    show: false,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !input.isPackaged,
    },
  };
}
