/**
 * The API the desktop preload exposes as `window.neurosphere`. Types only (the preload cannot
 * load local modules at run time): the renderer declares `window.neurosphere` with this
 * interface and the preload is checked against it, so the two sides cannot drift apart.
 */
import type { EventName } from './contract/events.js';
import type { MethodName } from './contract/methods.js';
import type { StreamName } from './contract/streams.js';
import type { Result } from './errors.js';

/** Menu items whose work needs the logged-in user's session, so the renderer performs them. */
export const MENU_COMMANDS = ['import-files', 'import-folder'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const IMPORT_PICK_KINDS = ['files', 'folder'] as const;
export type ImportPickKind = (typeof IMPORT_PICK_KINDS)[number];

/**
 * A stream's answer as it crosses a transport (IPC or HTTP): the bytes, and the JSON
 * description a `bytes` stream sends alongside them or an upload answers with (null otherwise).
 * The client checks the description against the stream's spec.
 */
export interface StreamAnswer {
  readonly description: unknown;
  /** The body; empty for an upload. */
  readonly data: ArrayBuffer;
}

export interface NeurosphereBridge {
  /** Calls a contract method; unknown method names are refused without reaching main. */
  call(method: MethodName, input: unknown, token: string | null): Promise<Result<unknown>>;
  /**
   * Calls a stream of the contract (`streams`): a download, or an upload when `body` is given.
   * Unknown stream names are refused without reaching main.
   */
  stream(
    name: StreamName,
    params: Readonly<Record<string, unknown>>,
    token: string | null,
    body?: ArrayBuffer,
  ): Promise<Result<StreamAnswer>>;
  /** Listens to one contract event; returns the function that stops listening. */
  on(eventName: EventName, listener: (payload: unknown) => void): () => void;
  /** Desktop-only capabilities that have no equivalent in a browser. */
  readonly desktop: DesktopBridge;
}

export interface DesktopBridge {
  /** Shows the native open dialog; resolves to the chosen absolute paths (empty if cancelled). */
  chooseImportPaths(kind: ImportPickKind): Promise<string[]>;
  /** Menu commands the renderer carries out (e.g. File › Import Files…). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
