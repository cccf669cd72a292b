/**
 * The application menu as data. Type-only Electron import, so tests can inspect the template.
 * Menu items that need the user's session (import) are sent to the renderer as commands; the
 * main process never acts as a logged-in user.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/bridge.js';

export interface MenuActions {
  /** Forward a command to the focused app window. */
  readonly sendCommand: (command: MenuCommand) => void;
  readonly showAbout: () => void;
}

export interface MenuOptions {
  /** Reload and developer tools only exist in development builds. */
  readonly isPackaged: boolean;
  readonly platform: NodeJS.Platform;
}

export function buildMenuTemplate(
  options: MenuOptions,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      {
        label: 'Import Files…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.sendCommand('import-files'),
      },
      {
        label: 'Import Folder…',
        accelerator: 'CmdOrCtrl+Shift+O',
        click: () => actions.sendCommand('import-folder'),
      },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  };
  // Without an Edit menu, copy and paste shortcuts do not work in text fields on macOS.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const developerItems: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developerItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [{ label: 'About Neurosphere', click: () => actions.showAbout() }],
  };
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: 'Neurosphere',
          submenu: [
            { label: 'About Neurosphere', click: () => actions.showAbout() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, help];
}
