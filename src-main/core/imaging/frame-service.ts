import type { FrameInfo } from '../../../src-shared/contract/frames.js';
import type { Scan } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { DerivedRepo } from '../scans/derived-repo.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import { frameBuffer, valueRange, type DecodedFrame } from './frame.js';
import type { ImagingClient } from './imaging-client.js';
import type { NiftiVolume } from './nifti/nifti-volume.js';

export interface FrameServiceDeps {
  scans: ScansRepo;
  derived: DerivedRepo;
  blobs: BlobStore;
  imaging: Pick<ImagingClient, 'decodeDicomFrame' | 'loadNiftiVolume' | 'decodePicture'>;
  /** Decoded NIfTI volumes kept in memory for scrolling (bytes). */
  volumeCacheBytes?: number;
}

export interface Frame {
  info: FrameInfo;
  /** Stored values (before rescale) in `info.dtype`, row by row, samples interleaved. */
  data: ArrayBuffer;
}

export interface FrameService {
  getFrame(scanId: string, index: number): Promise<Frame>;
  getFrameInfo(scanId: string, index: number): Promise<FrameInfo>;
}

interface Located {
  decoded: Omit<DecodedFrame, 'data'> & { data: ArrayBuffer };
  frameCount: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelSpacing: [number, number] | null;
}

function noFrame(scan: Scan, index: number, count: number): AppError {
  return new AppError(
    'NOT_FOUND',
    `Scan ${scan.id} has ${count} frame${count === 1 ? '' : 's'}; frame ${index} does not exist.`,
  );
}

/**
 * Serves decoded frames of any scan (DICOM series and multi-frame, NIfTI volumes, PNG/JPEG)
 * to the viewer. Every stored file is read and decoded in the imaging workers; a NIfTI volume
 * comes back whole once and is kept in a small cache here, since a viewer scrolls through all
 * its slices.
 */
export function createFrameService(deps: FrameServiceDeps): FrameService {
  const cacheLimit = deps.volumeCacheBytes ?? 768 * 1024 * 1024;
  const volumes = new Map<string, Promise<NiftiVolume>>();
  const volumeBytes = new Map<string, number>();

  function scanOf(id: string): Scan {
    const scan = deps.scans.get(id);
    if (scan === undefined)
      throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
    return scan;
  }

  /** The scan's stored image, read through the store (decrypted in an encrypted data folder). */
  function primarySource(scan: Scan): Promise<string | Buffer> {
    const file = deps.derived.primaryFileOf(scan.id);
    if (file === undefined) throw new AppError('NOT_FOUND', 'The scan has no stored image file.');
    return deps.blobs.source(file.sha256);
  }

  function loadVolume(sha256: string): Promise<NiftiVolume> {
    const cached = volumes.get(sha256);
    if (cached !== undefined) {
      // Refresh its place in the least-recently-used order.
      volumes.delete(sha256);
      volumes.set(sha256, cached);
      return cached;
    }
    const pending = deps.blobs
      .source(sha256)
      .then((source) => deps.imaging.loadNiftiVolume(source))
      .then((volume) => {
        volumeBytes.set(sha256, volume.data.byteLength);
        let total = [...volumeBytes.values()].reduce((a, b) => a + b, 0);
        for (const key of volumes.keys()) {
          if (total <= cacheLimit || key === sha256) continue;
          total -= volumeBytes.get(key) ?? 0;
          volumes.delete(key);
          volumeBytes.delete(key);
        }
        return volume;
      });
    pending.catch(() => volumes.delete(sha256));
    volumes.set(sha256, pending);
    return pending;
  }

  async function niftiFrame(scan: Scan, index: number): Promise<Located> {
    const file = deps.derived.primaryFileOf(scan.id);
    if (file === undefined) throw new AppError('NOT_FOUND', 'The scan has no stored image file.');
    const volume = await loadVolume(file.sha256);
    const [columns, rows, slices] = volume.dims;
    if (index >= slices) throw noFrame(scan, index, slices);
    const size = columns * rows * volume.samplesPerPixel;
    const slice = volume.data.subarray(index * size, (index + 1) * size);
    return {
      decoded: {
        rows,
        columns,
        samplesPerPixel: volume.samplesPerPixel,
        dtype: scan.format === 'nifti' ? dtypeName(slice) : 'uint8',
        data: frameBuffer(slice),
        photometric: volume.samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2',
        ...valueRange(slice),
      },
      frameCount: slices,
      rescaleSlope: volume.rescaleSlope,
      rescaleIntercept: volume.rescaleIntercept,
      windowCenter: null,
      windowWidth: null,
      pixelSpacing: [volume.spacing[0], volume.spacing[1]],
    };
  }

  async function dicomFrame(scan: Scan, index: number): Promise<Located> {
    const count = deps.scans.frameCount(scan.id);
    const at = deps.scans.frameAt(scan.id, index);
    if (at === undefined) throw noFrame(scan, index, count);
    const frame = await deps.imaging.decodeDicomFrame(
      await deps.blobs.source(at.sha256),
      at.frameNumber,
    );
    return {
      decoded: frame,
      frameCount: count,
      rescaleSlope: frame.rescaleSlope,
      rescaleIntercept: frame.rescaleIntercept,
      windowCenter: frame.windowCenter,
      windowWidth: frame.windowWidth,
      pixelSpacing: frame.pixelSpacing,
    };
  }

  async function pictureFrame(scan: Scan, index: number): Promise<Located> {
    if (index !== 0) throw noFrame(scan, index, 1);
    const format = scan.format === 'png' ? 'png' : 'jpeg';
    const decoded = await deps.imaging.decodePicture(await primarySource(scan), format);
    return {
      decoded,
      frameCount: 1,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      windowCenter: null,
      windowWidth: null,
      pixelSpacing: null,
    };
  }

  async function locate(scan: Scan, index: number): Promise<Located> {
    switch (scan.format) {
      case 'dicom':
        return dicomFrame(scan, index);
      case 'nifti':
        return niftiFrame(scan, index);
      case 'png':
      case 'jpeg':
        return pictureFrame(scan, index);
    }
  }

  async function getFrame(scanId: string, index: number): Promise<Frame> {
    const scan = scanOf(scanId);
    const found = await locate(scan, index);
    const { decoded } = found;
    const info: FrameInfo = {
      scanId,
      index,
      frameCount: found.frameCount,
      rows: decoded.rows,
      columns: decoded.columns,
      samplesPerPixel: decoded.samplesPerPixel,
      dtype: decoded.dtype,
      rescaleSlope: found.rescaleSlope,
      rescaleIntercept: found.rescaleIntercept,
      windowCenter: found.windowCenter,
      windowWidth: found.windowWidth,
      photometric: decoded.photometric,
      pixelSpacing: found.pixelSpacing,
      minValue: decoded.minValue,
      maxValue: decoded.maxValue,
    };
    return { info, data: decoded.data };
  }

  return {
    getFrame,
    async getFrameInfo(scanId, index) {
      return (await getFrame(scanId, index)).info;
    },
  };
}

function dtypeName(data: NiftiVolume['data']): FrameInfo['dtype'] {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  return 'float32';
}
