import { readFile } from 'node:fs/promises';
import type { FrameDtype } from '../../../src-shared/contract/frames.js';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { dicomSegLabelVolume, type ReferencedImage } from './dicom/dicom-seg.js';
import { parseDicom, readingDicom } from './dicom/parse-dicom.js';
import { describePixels } from './dicom/pixel-description.js';
import { dtypeOf, frameBuffer, type DecodedFrame, type FrameSamples } from './frame.js';
import { inspectFile, type InspectRequest, type Inspection } from './inspect-file.js';
import { decodeJpeg } from './jpeg-decode.js';
import { readNiftiVolume, type NiftiGeometry } from './nifti/nifti-volume.js';
import { decodePng } from './png-decode.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';

/**
 * A stored file for a task: its path (a plain data folder: the worker reads it), or its bytes
 * (an encrypted one: the core decrypts, the worker never sees ciphertext).
 */
export type ImageSource = string | Uint8Array;

async function readSource(source: ImageSource): Promise<Buffer> {
  if (typeof source === 'string') return readFile(source);
  return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
}

/** Work sent to the imaging worker pool. */
export type ImagingRequest =
  | ({ type: 'inspect' } & InspectRequest)
  | {
      type: 'decode-dicom-frame';
      source: ImageSource;
      frameNumber: number;
      maxDecodedBytes: number;
    }
  | { type: 'load-nifti-volume'; source: ImageSource; maxDecodedBytes: number }
  | { type: 'decode-picture'; source: ImageSource; format: 'png' | 'jpeg' }
  | {
      type: 'dicom-seg-labels';
      source: ImageSource;
      maxDecodedBytes: number;
      /** The scan's images (frame order) the SEG's frames are placed on. */
      images: Array<ReferencedImage & { frameIndex: number | null }>;
      grid: Vector3;
    };

export interface DecodedDicomFrame extends Omit<DecodedFrame, 'data'> {
  data: ArrayBuffer;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelSpacing: [number, number] | null;
  frames: number;
}

/** A NIfTI volume as it crosses the thread boundary: its voxels' buffer plus their dtype. */
export interface LoadedNiftiVolume extends NiftiGeometry {
  dtype: FrameDtype;
  data: ArrayBuffer;
}

export type DecodedPicture = Omit<DecodedFrame, 'data'> & { data: ArrayBuffer };

export type ImagingResponse =
  | { type: 'inspect'; inspection: Inspection }
  | { type: 'decode-dicom-frame'; frame: DecodedDicomFrame }
  | { type: 'load-nifti-volume'; volume: LoadedNiftiVolume }
  | { type: 'decode-picture'; frame: DecodedPicture }
  | { type: 'dicom-seg-labels'; labels: ArrayBuffer };

/** The samples' own buffer when they span all of it (transferable as is), else a copy. */
function ownBuffer(data: FrameSamples): ArrayBuffer {
  const { buffer } = data;
  const isWhole =
    buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buffer.byteLength;
  return isWhole ? buffer : frameBuffer(data);
}

async function loadNiftiVolume(
  source: ImageSource,
  maxDecodedBytes: number,
): Promise<LoadedNiftiVolume> {
  const { data, ...geometry } = readNiftiVolume(await readSource(source), {
    maxBytes: maxDecodedBytes,
  });
  return { ...geometry, dtype: dtypeOf(data), data: ownBuffer(data) };
}

async function decodePicture(source: ImageSource, format: 'png' | 'jpeg'): Promise<DecodedPicture> {
  const file = await readSource(source);
  const { data, ...frame } = format === 'png' ? decodePng(file) : await decodeJpeg(file);
  return { ...frame, data: ownBuffer(data) };
}

async function dicomSegLabels(
  request: Extract<ImagingRequest, { type: 'dicom-seg-labels' }>,
): Promise<ArrayBuffer> {
  const parsed = parseDicom(await readSource(request.source), {
    maxInflatedBytes: request.maxDecodedBytes,
  });
  const pixels = readingDicom(() => describePixels(parsed.dataSet));
  return ownBuffer(await dicomSegLabelVolume(parsed, pixels, request.images, request.grid));
}

async function decodeFrameOfFile(
  source: ImageSource,
  frameNumber: number,
  maxDecodedBytes: number,
) {
  const parsed = parseDicom(await readSource(source), { maxInflatedBytes: maxDecodedBytes });
  const pixels = readingDicom(() => describePixels(parsed.dataSet));
  const { data, ...frame } = await decodeDicomFrame(parsed, pixels, frameNumber);
  const buffer = frameBuffer(data);
  const decoded: DecodedDicomFrame = {
    ...frame,
    data: buffer,
    rescaleSlope: pixels.rescaleSlope,
    rescaleIntercept: pixels.rescaleIntercept,
    windowCenter: pixels.windowCenter,
    windowWidth: pixels.windowWidth,
    pixelSpacing: pixels.pixelSpacing,
    frames: pixels.frames,
  };
  return decoded;
}

/** Runs one imaging task (in a worker thread, or inline where no pool is wanted). */
export async function runImagingTask(
  request: ImagingRequest,
): Promise<{ result: ImagingResponse; transfer?: ArrayBuffer[] }> {
  switch (request.type) {
    case 'inspect':
      return { result: { type: 'inspect', inspection: await inspectFile(request) } };
    case 'decode-dicom-frame': {
      const frame = await decodeFrameOfFile(
        request.source,
        request.frameNumber,
        request.maxDecodedBytes,
      );
      return { result: { type: 'decode-dicom-frame', frame }, transfer: [frame.data] };
    }
    case 'load-nifti-volume': {
      const volume = await loadNiftiVolume(request.source, request.maxDecodedBytes);
      return { result: { type: 'load-nifti-volume', volume }, transfer: [volume.data] };
    }
    case 'decode-picture': {
      const frame = await decodePicture(request.source, request.format);
      return { result: { type: 'decode-picture', frame }, transfer: [frame.data] };
    }
    case 'dicom-seg-labels': {
      const labels = await dicomSegLabels(request);
      return { result: { type: 'dicom-seg-labels', labels }, transfer: [labels] };
    }
  }
}
