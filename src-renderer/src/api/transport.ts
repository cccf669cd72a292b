import type { AnalysisImageKind } from '../../../src-shared/contract/analysis.js';
import type { EventName } from '../../../src-shared/contract/events.js';
import type { BinaryLabelVolume, LabelSource } from '../../../src-shared/contract/labels.js';
import type { MethodName } from '../../../src-shared/contract/methods.js';
import type { BinaryFrame } from '../../../src-main/electron/bridge-api.js';
import type { UploadedFile } from '../../../src-shared/contract/uploads.js';
import type { Result } from '../../../src-shared/errors.js';

export type { BinaryFrame } from '../../../src-main/electron/bridge-api.js';
export type { BinaryLabelVolume, LabelSource } from '../../../src-shared/contract/labels.js';

export interface UploadOptions {
  /** Aborts the transfer; the answer is then a CANCELLED error. */
  readonly signal?: AbortSignal;
  /** Bytes of this file sent so far (HTTP reports as it goes, IPC once at the end). */
  readonly onProgress?: (sentBytes: number) => void;
}

export type TransportKind = 'ipc' | 'http';

export type TransportEventListener = (name: EventName, payload: unknown) => void;

/**
 * How the renderer reaches the core: Electron IPC in the desktop app, HTTP and a WebSocket in
 * serve mode. Both carry the same contract, so nothing above this interface knows which one runs.
 */
export interface Transport {
  readonly kind: TransportKind;
  /** Never rejects: a core that cannot be reached comes back as a Result error too. */
  call(method: MethodName, input: unknown, token: string | null): Promise<Result<unknown>>;
  /** Sends one file of an upload batch (see `uploads.begin`). Never rejects. */
  upload(
    batchId: string,
    name: string,
    file: Blob,
    token: string | null,
    options?: UploadOptions,
  ): Promise<Result<UploadedFile>>;
  /** One decoded frame of a scan: its FrameInfo and its stored values. Never rejects. */
  frame(scanId: string, index: number, token: string | null): Promise<Result<BinaryFrame>>;
  /**
   * The latest analysis's heatmap or overlay as an image/png Blob. A Blob, not a URL: whoever
   * shows it makes the object URL and so knows when to revoke it. Never rejects.
   */
  analysisImage(
    scanId: string,
    kind: AnalysisImageKind,
    token: string | null,
  ): Promise<Result<Blob>>;
  /**
   * A whole label volume on the scan's frame grid (uint8, columns × rows × frames, frame k = the
   * viewer's frame k): `'analysis'` for the latest analysis's mask, or a segmentation id. Never
   * rejects; bytes that do not match their description come back as an error.
   */
  labelVolume(
    scanId: string,
    source: LabelSource,
    token: string | null,
  ): Promise<Result<BinaryLabelVolume>>;
  /** Receives every contract event; returns the function that stops listening. */
  subscribe(listener: TransportEventListener): () => void;
  /**
   * Called when the event stream is back after a gap (a dropped socket reconnected): events may
   * have been missed, so whoever shows live data loads it again. Returns the unsubscribe function.
   */
  onResync(listener: () => void): () => void;
  /** The session the event stream authenticates with (HTTP); null after logout. */
  setSessionToken(token: string | null): void;
}
