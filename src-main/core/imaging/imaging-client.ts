import { frameSamples } from '../../../src-shared/contract/frames.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ReferencedImage } from './dicom/dicom-seg.js';
import type {
  DecodedDicomFrame,
  DecodedPicture,
  ImageSource,
  ImagingRequest,
  ImagingResponse,
} from './imaging-tasks.js';
import type { Inspection } from './inspect-file.js';
import type { NiftiVolume } from './nifti/nifti-volume.js';
import { createWorkerPool, WorkerTaskError, type WorkerPool } from './worker/worker-pool.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';

export interface ImagingLimits {
  maxFileBytes: number;
  /** Largest decompressed image (NIfTI .gz, deflated DICOM) accepted. */
  maxDecodedBytes: number;
}

/** Parsing and decoding of untrusted files, off the main thread, with limits. */
export interface ImagingClient {
  inspect(path: string): Promise<Inspection>;
  decodeDicomFrame(source: ImageSource, frameNumber: number): Promise<DecodedDicomFrame>;
  /** A stored NIfTI image (scan or label map), whole: its voxels are moved, not copied, here. */
  loadNiftiVolume(source: ImageSource): Promise<NiftiVolume>;
  /** A stored PNG or JPEG picture as one frame. */
  decodePicture(source: ImageSource, format: 'png' | 'jpeg'): Promise<DecodedPicture>;
  /** A stored DICOM SEG's labels laid on the frames of `images` (frame order), `grid` big. */
  dicomSegLabels(
    source: ImageSource,
    images: Array<ReferencedImage & { frameIndex: number | null }>,
    grid: Vector3,
  ): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ImagingPoolOptions extends ImagingLimits {
  workers: number;
  taskTimeoutMs: number;
  maxHeapMb: number;
  /** The worker's entry module; tests point it at a worker that misbehaves on purpose. */
  script?: URL;
}

/** The compiled worker next to this module: imaging-worker.js in dist, .ts under Vitest. */
function workerScript(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./imaging-worker${extension}`, import.meta.url);
}

function quarantined(error: WorkerTaskError): AppError {
  const what =
    error.failure === 'timeout'
      ? `reading it ${error.message}`
      : error.failure === 'out-of-memory'
        ? `reading it ${error.message}`
        : `its reader stopped: ${error.message}`;
  return new AppError('CORRUPT_FILE', `File was set aside because ${what}; it may be damaged.`, {
    failure: error.failure,
  });
}

/**
 * The bytes of a decrypted blob are moved to the worker, not copied: each is a fresh buffer
 * read for this one task (a buffer that shares its memory with others is copied).
 */
function transferOf(request: ImagingRequest): ArrayBuffer[] {
  if (!('source' in request) || typeof request.source === 'string') return [];
  const { buffer, byteOffset, byteLength } = request.source;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength
    ? [buffer]
    : [];
}

export function createImagingClient(options: ImagingPoolOptions): ImagingClient {
  const pool: WorkerPool<ImagingRequest, ImagingResponse> = createWorkerPool({
    script: options.script ?? workerScript(),
    size: options.workers,
    taskTimeoutMs: options.taskTimeoutMs,
    maxHeapMb: options.maxHeapMb,
  });
  async function run<T extends ImagingRequest['type']>(
    request: ImagingRequest & { type: T },
  ): Promise<Extract<ImagingResponse, { type: T }>> {
    let response: ImagingResponse;
    try {
      response = await pool.run(request, transferOf(request));
    } catch (error) {
      if (error instanceof WorkerTaskError) throw quarantined(error);
      throw error;
    }
    if (response.type !== request.type) throw new Error('imaging worker answered the wrong task');
    return response as Extract<ImagingResponse, { type: T }>;
  }
  return {
    async inspect(path) {
      const response = await run({
        type: 'inspect',
        path,
        maxFileBytes: options.maxFileBytes,
        maxDecodedBytes: options.maxDecodedBytes,
      });
      return response.inspection;
    },
    async decodeDicomFrame(source, frameNumber) {
      const response = await run({
        type: 'decode-dicom-frame',
        source,
        frameNumber,
        maxDecodedBytes: options.maxDecodedBytes,
      });
      return response.frame;
    },
    async loadNiftiVolume(source) {
      const { volume } = await run({
        type: 'load-nifti-volume',
        source,
        maxDecodedBytes: options.maxDecodedBytes,
      });
      const { dtype, data, ...geometry } = volume;
      return { ...geometry, data: frameSamples({ dtype }, data) };
    },
    async decodePicture(source, format) {
      return (await run({ type: 'decode-picture', source, format })).frame;
    },
    async dicomSegLabels(source, images, grid) {
      const response = await run({
        type: 'dicom-seg-labels',
        source,
        maxDecodedBytes: options.maxDecodedBytes,
        images,
        grid,
      });
      return new Uint8Array(response.labels);
    },
    close: () => pool.close(),
  };
}
