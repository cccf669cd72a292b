/**
 * The API the preload exposes as `window.neurosphere`. Types only: the renderer declares
 * `window.neurosphere` with this interface and the preload is checked against it, so the two
 * sides cannot drift apart.
 */
import type { EventName } from '../../src-shared/contract/events.js';
import type { MethodName } from '../../src-shared/contract/methods.js';
import type { Result } from '../../src-shared/errors.js';
import type { ImportPickKind, MenuCommand } from './ipc-channels.js';

export type { ImportPickKind, MenuCommand } from './ipc-channels.js';

export interface NeurosphereBridge {
  /** Calls a contract method; unknown method names are refused without reaching main. */
  call(method: MethodName, input: unknown, token: string | null): Promise<Result<unknown>>;
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
