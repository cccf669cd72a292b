import { readFile } from 'node:fs/promises';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { parseDicom, readingDicom } from './dicom/parse-dicom.js';
import { describePixels } from './dicom/pixel-description.js';
import { frameBuffer, type DecodedFrame } from './frame.js';
import { inspectFile, type InspectRequest, type Inspection } from './inspect-file.js';

/** Work sent to the imaging worker pool. */
export type ImagingRequest =
  | ({ type: 'inspect' } & InspectRequest)
  | { type: 'decode-dicom-frame'; path: string; frameNumber: number; maxDecodedBytes: number };

export interface DecodedDicomFrame extends Omit<DecodedFrame, 'data'> {
  data: ArrayBuffer;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelSpacing: [number, number] | null;
  frames: number;
}

export type ImagingResponse =
  | { type: 'inspect'; inspection: Inspection }
  | { type: 'decode-dicom-frame'; frame: DecodedDicomFrame };

async function decodeFrameOfFile(path: string, frameNumber: number, maxDecodedBytes: number) {
  const parsed = parseDicom(await readFile(path), { maxInflatedBytes: maxDecodedBytes });
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
        request.path,
        request.frameNumber,
        request.maxDecodedBytes,
      );
      return { result: { type: 'decode-dicom-frame', frame }, transfer: [frame.data] };
    }
  }
}
