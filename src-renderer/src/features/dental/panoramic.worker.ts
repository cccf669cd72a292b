// The panoramic worker: finding the arch and resampling the CBCT along it, off the page's
// thread, so dragging a control point or the slab slider never freezes the page.
import {
  axialMip,
  findArch,
  panoramicImage,
  type CbctVolume,
} from '../../../../src-shared/dental/panoramic.js';
import type { PanoramicReply, PanoramicRequest } from './panoramic-protocol.js';

/** The worker global (the renderer's tsconfig has DOM types, not WebWorker ones). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PanoramicRequest>) => void) | null;
  postMessage(message: PanoramicReply, transfer?: Transferable[]): void;
};

let volume: CbctVolume | null = null;

function handle(request: PanoramicRequest): void {
  if (request.kind === 'volume') {
    volume = request.volume;
    const arch = findArch(volume);
    const slabMip = arch === null ? null : axialMip(volume, arch.slab.from, arch.slab.to);
    scope.postMessage(
      { kind: 'arch', arch, slabMip },
      slabMip === null ? [] : [slabMip.buffer as ArrayBuffer],
    );
    return;
  }
  if (volume === null) throw new Error('The panoramic worker has no volume yet.');
  const image = panoramicImage(volume, request.points, request.thicknessMm, request.mode);
  scope.postMessage({ kind: 'image', id: request.id, image }, [image.data.buffer as ArrayBuffer]);
}

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (failure) {
    scope.postMessage({
      kind: 'error',
      message: failure instanceof Error ? failure.message : String(failure),
    });
  }
};
