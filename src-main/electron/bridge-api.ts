/**
 * The API the preload exposes as `window.neurosphere`. Types only: the renderer declares
 * `window.neurosphere` with this interface and the preload is checked against it, so the two
 * sides cannot drift apart.
 */
import type { AnalysisImageKind } from '../../src-shared/contract/analysis.js';
import type { EventName } from '../../src-shared/contract/events.js';
import type { MethodName } from '../../src-shared/contract/methods.js';
import type { FrameInfo } from '../../src-shared/contract/frames.js';
import type { LabelVolumeInfo } from '../../src-shared/contract/labels.js';
import type { UploadedFile } from '../../src-shared/contract/uploads.js';
import type { Result } from '../../src-shared/errors.js';
import type { ImportPickKind, MenuCommand } from './ipc-channels.js';

export type { ImportPickKind, MenuCommand } from './ipc-channels.js';

export interface NeurosphereBridge {
  /** Calls a contract method; unknown method names are refused without reaching main. */
  call(method: MethodName, input: unknown, token: string | null): Promise<Result<unknown>>;
  /** Stores one file of an upload batch (opened with `uploads.begin`): the binary upload transport. */
  upload(
    batchId: string,
    name: string,
    bytes: ArrayBuffer,
    token: string | null,
  ): Promise<Result<UploadedFile>>;
  /** One decoded frame of a scan for the viewer: the binary frame transport. */
  frame(scanId: string, index: number, token: string | null): Promise<Result<BinaryFrame>>;
  /** The latest analysis's heatmap or overlay as PNG bytes (NOT_FOUND when it has none). */
  analysisImage(
    scanId: string,
    kind: AnalysisImageKind,
    token: string | null,
  ): Promise<Result<ArrayBuffer>>;
  /**
   * A whole label volume on the scan's frame grid: `'analysis'` for the latest analysis's mask
   * or a segmentation id (NOT_FOUND when there is none). The binary label transport.
   */
  labelVolume(
    scanId: string,
    source: string,
    token: string | null,
  ): Promise<Result<LabelVolumeBytes>>;
  /** Listens to one contract event; returns the function that stops listening. */
  on(eventName: EventName, listener: (payload: unknown) => void): () => void;
  /** Desktop-only capabilities that have no equivalent in a browser. */
  readonly desktop: DesktopBridge;
}

/** A decoded frame: its description and its stored values (see FrameInfo). */
export interface BinaryFrame {
  readonly info: FrameInfo;
  readonly data: ArrayBuffer;
}

/** A label volume as it crosses IPC: its description and its uint8 labels (see LabelVolumeInfo). */
export interface LabelVolumeBytes {
  readonly info: LabelVolumeInfo;
  readonly data: ArrayBuffer;
}

export interface DesktopBridge {
  /** Shows the native open dialog; resolves to the chosen absolute paths (empty if cancelled). */
  chooseImportPaths(kind: ImportPickKind): Promise<string[]>;
  /** Menu commands the renderer carries out (e.g. File › Import Files…). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
