/**
 * The Electron main process: wires the pure, tested modules of this folder into Electron and
 * hands every capability over to the core. Nothing here decides anything on its own; the
 * decisions live in policy.ts, ipc-router.ts, web-security.ts and friends.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
} from 'electron';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES } from '../../src-shared/contract/events.js';
import { METHOD_NAMES } from '../../src-shared/contract/methods.js';
import {
  createCore,
  dataDirOrigin,
  describeAuditVerification,
  type Core,
  providerPreferenceFromEnv,
  resolveAuditKey,
  resolveDataDirEncryption,
  resolveDataDir,
} from '../core/index.js';
import { electronUpdaterDriver } from './electron-updater-driver.js';
import { forkUtilityProcess } from './inference-launcher.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { forwardCoreEvents } from './event-forwarder.js';
import type { ImportPickKind } from '../../src-shared/bridge.js';
import { IPC_CHANNELS, type ContractNames } from './ipc-channels.js';
import { createRpcListener, createStreamListener } from './ipc-router.js';
import { describeStartupFailure, parseDataDirFlag } from './launch-options.js';
import { buildMenuTemplate } from './menu-template.js';
import { APP_ENTRY_URL, APP_SCHEME, isTrustedSenderUrl } from './policy.js';
import { hardenSession } from './session-policy.js';
import { hardenWebContents } from './web-security.js';
import { buildWindowOptions } from './window-options.js';

// dist/src-main/electron/main.js → dist/src-main/electron/preload.cjs and dist/renderer/.
const PRELOAD_PATH = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

// Must happen before 'ready'. `standard` gives the scheme real origins and relative URLs,
// `secure` makes it a secure context, `supportFetchAPI` lets the page fetch its own assets.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Every renderer sandboxed, including any the app did not create itself.
app.enableSandbox();

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

function isTrustedEvent(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  return isTrustedSenderUrl(event.senderFrame?.url);
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(
    buildWindowOptions({ preloadPath: PRELOAD_PATH, isPackaged: app.isPackaged }),
  );
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: 'About Neurosphere',
    message: `Neurosphere ${app.getVersion()}`,
    detail:
      'Offline brain-tumour MRI analysis workstation.\n' +
      'Research and decision support only; not a medical device.\n\n' +
      `Data folder: ${core?.dataDir ?? 'not open'}`,
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  void (parent === undefined
    ? dialog.showMessageBox(options)
    : dialog.showMessageBox(parent, options));
}

function installMenu(): void {
  const template = buildMenuTemplate(
    { isPackaged: app.isPackaged, platform: process.platform },
    {
      sendCommand: (command) => {
        const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
        target?.webContents.send(IPC_CHANNELS.menu, command);
      },
      showAbout,
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function installIpc(activeCore: Core): void {
  ipcMain.handle(IPC_CHANNELS.rpc, createRpcListener(activeCore.router));
  ipcMain.handle(IPC_CHANNELS.stream, createStreamListener(activeCore.router));
  ipcMain.on(IPC_CHANNELS.contract, (event) => {
    const names: ContractNames = isTrustedEvent(event)
      ? { methods: METHOD_NAMES, streams: activeCore.router.streamNames(), events: EVENT_NAMES }
      : { methods: [], streams: [], events: [] };
    event.returnValue = names;
  });
  ipcMain.handle(IPC_CHANNELS.chooseImportPaths, async (event, kind: unknown) => {
    if (!isTrustedEvent(event) || (kind !== 'files' && kind !== 'folder')) return [];
    const pick: ImportPickKind = kind;
    const options: OpenDialogOptions = {
      title: pick === 'files' ? 'Import files' : 'Import a folder',
      buttonLabel: 'Import',
      properties:
        pick === 'files' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
    };
    const parent = BrowserWindow.fromWebContents(event.sender);
    const result = await (parent === null
      ? dialog.showOpenDialog(options)
      : dialog.showOpenDialog(parent, options));
    return result.canceled ? [] : result.filePaths;
  });
  forwardCoreEvents(activeCore.events, () =>
    BrowserWindow.getAllWindows().map((window) => window.webContents),
  );
}

async function startCore(): Promise<Core | undefined> {
  const dataDirFlag = parseDataDirFlag(process.argv);
  const dataDir = resolveDataDir(dataDirFlag);
  try {
    return createCore({
      dataDir,
      auditKey: await resolveAuditKey({ dataDir, env: process.env }),
      encryption: await resolveDataDirEncryption({ dataDir, env: process.env }),
      runJobs: true,
      startDicomNode: true,
      startSync: true,
      analyseImports: true,
      providerPreference: providerPreferenceFromEnv(process.env),
      inferenceLauncher: forkUtilityProcess,
      dataDirOrigin: dataDirOrigin(dataDirFlag, process.env),
      updaterDriver: electronUpdaterDriver(),
    });
  } catch (error) {
    const failure = describeStartupFailure(error, dataDir);
    dialog.showErrorBox(failure.title, failure.message);
    return undefined;
  }
}

/** The audit trail is verified at every start; a broken one is shown, and the app still opens. */
function warnIfAuditBroken(started: Core): void {
  const verification = started.audit.verify();
  if (verification.ok) return;
  started.logger.warn('audit trail verification failed', { issues: verification.issues });
  dialog.showErrorBox('The audit trail is broken', describeAuditVerification(verification));
}

async function onReady(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: RENDERER_DIR }));
  const started = await startCore();
  if (started === undefined) {
    app.exit(1);
    return;
  }
  warnIfAuditBroken(started);
  core = started;
  installIpc(started);
  installMenu();
  mainWindow = createMainWindow();
}

/** Closes the core (finishing the running job step, closing SQLite) before the app exits. */
function installShutdown(): void {
  let isClosed = false;
  let isClosing = false;
  app.on('before-quit', (event) => {
    if (isClosed || core === undefined) return;
    event.preventDefault();
    if (isClosing) return;
    isClosing = true;
    core
      .close()
      .catch((error: unknown) => core?.logger.error('core close failed', { error }))
      .finally(() => {
        isClosed = true;
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Two processes on one SQLite database and one job queue is never wanted: hand over and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      openExternal: (url) => shell.openExternal(url),
      onBlocked: (what, url) => core?.logger.warn('blocked', { what, url }),
    });
  });
  app.on('window-all-closed', () => app.quit());
  installShutdown();
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      dialog.showErrorBox('Neurosphere cannot start', String(error));
      app.exit(1);
    });
}
