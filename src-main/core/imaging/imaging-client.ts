import { AppError } from '../../../src-shared/errors.js';
import type { DecodedDicomFrame, ImagingRequest, ImagingResponse } from './imaging-tasks.js';
import type { Inspection } from './inspect-file.js';
import { createWorkerPool, WorkerTaskError, type WorkerPool } from './worker/worker-pool.js';

export interface ImagingLimits {
  maxFileBytes: number;
  /** Largest decompressed image (NIfTI .gz, deflated DICOM) accepted. */
  maxDecodedBytes: number;
}

/** Parsing and decoding of untrusted files, off the main thread, with limits. */
export interface ImagingClient {
  inspect(path: string): Promise<Inspection>;
  decodeDicomFrame(path: string, frameNumber: number): Promise<DecodedDicomFrame>;
  close(): Promise<void>;
}

export interface ImagingPoolOptions extends ImagingLimits {
  workers: number;
  taskTimeoutMs: number;
  maxHeapMb: number;
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

export function createImagingClient(options: ImagingPoolOptions): ImagingClient {
  const pool: WorkerPool<ImagingRequest, ImagingResponse> = createWorkerPool({
    script: workerScript(),
    size: options.workers,
    taskTimeoutMs: options.taskTimeoutMs,
    maxHeapMb: options.maxHeapMb,
  });
  async function run(request: ImagingRequest): Promise<ImagingResponse> {
    try {
      return await pool.run(request);
    } catch (error) {
      if (error instanceof WorkerTaskError) throw quarantined(error);
      throw error;
    }
  }
  return {
    async inspect(path) {
      const response = await run({
        type: 'inspect',
        path,
        maxFileBytes: options.maxFileBytes,
        maxDecodedBytes: options.maxDecodedBytes,
      });
      if (response.type !== 'inspect') throw new Error('imaging worker answered the wrong task');
      return response.inspection;
    },
    async decodeDicomFrame(path, frameNumber) {
      const response = await run({
        type: 'decode-dicom-frame',
        path,
        frameNumber,
        maxDecodedBytes: options.maxDecodedBytes,
      });
      if (response.type !== 'decode-dicom-frame')
        throw new Error('imaging worker answered the wrong task');
      return response.frame;
    },
    close: () => pool.close(),
  };
}
