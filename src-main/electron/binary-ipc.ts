/**
 * The IPC side of the binary transports (uploads, frames, analysis images and label volumes),
 * which carry bytes the JSON router does not. Same checks as serve mode's routes: the sender,
 * then the session and permission (authorizeBinaryCall mirrors the router), then the core. No
 * Electron import, so it is tested under Vitest with a real core.
 */
import { isAnalysisImageKind } from '../../src-shared/contract/analysis.js';
import type { UploadedFile } from '../../src-shared/contract/uploads.js';
import { AppError, isAppError, type AppErrorData, type Result } from '../../src-shared/errors.js';
import { type Core, authorizeBinaryCall, uploadOwnerOf } from '../core/index.js';
import type { BinaryFrame, LabelVolumeBytes } from './bridge-api.js';
import type { IpcSenderEvent } from './ipc-router.js';
import { isTrustedSenderUrl } from './policy.js';

export type BinaryCore = Pick<
  Core,
  'auth' | 'uploads' | 'frames' | 'labels' | 'analysis' | 'logger'
>;

const UNTRUSTED: AppErrorData = {
  code: 'PERMISSION_DENIED',
  message: 'Only the Neurosphere app itself may call Neurosphere.',
};

async function guarded<T>(
  core: BinaryCore,
  senderUrl: string | null | undefined,
  work: () => Promise<T>,
): Promise<Result<T>> {
  if (!isTrustedSenderUrl(senderUrl)) return { ok: false, error: UNTRUSTED };
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.toData() };
    core.logger.error('binary IPC call failed', { error });
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside Neurosphere.' },
    };
  }
}

function tokenOf(token: unknown): string | null {
  return typeof token === 'string' ? token : null;
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof Uint8Array) return value;
  return null;
}

/** `neurosphere:upload` (batchId, name, bytes, token): one file of an upload batch. */
export function createUploadListener(
  core: BinaryCore,
): (event: IpcSenderEvent, ...args: unknown[]) => Promise<Result<UploadedFile>> {
  return (event, batchId, name, bytes, token) =>
    guarded(core, event.senderFrame?.url, async () => {
      const principal = authorizeBinaryCall(
        core.auth,
        tokenOf(token),
        'import.run',
        'import scans',
      );
      const data = asBytes(bytes);
      if (typeof batchId !== 'string' || typeof name !== 'string' || data === null)
        throw new AppError('INVALID_INPUT', 'An upload needs a batch, a name and the bytes.');
      async function* once(): AsyncGenerator<Uint8Array> {
        yield data as Uint8Array;
      }
      return core.uploads.receive(batchId, name, uploadOwnerOf(principal), once(), data.byteLength);
    });
}

/** `neurosphere:frame` (scanId, index, token): one decoded frame for the viewer. */
export function createFrameListener(
  core: BinaryCore,
): (event: IpcSenderEvent, ...args: unknown[]) => Promise<Result<BinaryFrame>> {
  return (event, scanId, index, token) =>
    guarded(core, event.senderFrame?.url, async () => {
      authorizeBinaryCall(core.auth, tokenOf(token), 'scans.read', 'view scans');
      if (
        typeof scanId !== 'string' ||
        typeof index !== 'number' ||
        !Number.isInteger(index) ||
        index < 0
      )
        throw new AppError('INVALID_INPUT', 'A frame needs a scan id and a frame index.');
      return core.frames.getFrame(scanId, index);
    });
}

/**
 * `neurosphere:analysis-image` (scanId, kind, token): the latest analysis's heatmap or overlay
 * PNG, as serve mode's GET /api/analyses/<scanId>/<kind>.png answers it.
 */
export function createAnalysisImageListener(
  core: BinaryCore,
): (event: IpcSenderEvent, ...args: unknown[]) => Promise<Result<ArrayBuffer>> {
  return (event, scanId, kind, token) =>
    guarded(core, event.senderFrame?.url, async () => {
      authorizeBinaryCall(core.auth, tokenOf(token), 'scans.read', 'view scans');
      if (typeof scanId !== 'string' || !isAnalysisImageKind(kind))
        throw new AppError(
          'INVALID_INPUT',
          'An analysis image needs a scan id and heatmap or overlay.',
        );
      const outputs = await core.analysis.outputs(scanId);
      const png = kind === 'heatmap' ? outputs.heatmapPng : outputs.overlayPng;
      if (png === null) throw new AppError('NOT_FOUND', `This analysis has no ${kind} image.`);
      // A copy of exactly the PNG's bytes: a pooled Buffer's ArrayBuffer may hold other data.
      return png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
    });
}

/**
 * `neurosphere:label-volume` (scanId, 'analysis' | segmentationId, token): a whole label volume
 * on the scan's frame grid, as serve mode's GET /api/labels/<scanId>/<source> answers it.
 */
export function createLabelVolumeListener(
  core: BinaryCore,
): (event: IpcSenderEvent, ...args: unknown[]) => Promise<Result<LabelVolumeBytes>> {
  return (event, scanId, source, token) =>
    guarded(core, event.senderFrame?.url, async () => {
      authorizeBinaryCall(core.auth, tokenOf(token), 'scans.read', 'view scans');
      if (typeof scanId !== 'string' || typeof source !== 'string')
        throw new AppError(
          'INVALID_INPUT',
          "A label volume needs a scan id and 'analysis' or a segmentation id.",
        );
      const { info, data } = await core.labels.getVolume(scanId, source);
      // An ArrayBuffer of exactly the labels, like a frame's: a view's buffer may hold more.
      const bytes =
        data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
          ? data.buffer
          : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      return { info, data: bytes as ArrayBuffer };
    });
}
