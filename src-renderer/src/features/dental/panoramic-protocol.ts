import type {
  ArchFinding,
  ArchPoint,
  CbctVolume,
  PanoramicImage,
  PanoramicMode,
} from '../../../../src-shared/dental/panoramic.js';

/** Messages to the panoramic worker: the volume once, then one image per change. */
export type PanoramicRequest =
  | { readonly kind: 'volume'; readonly volume: CbctVolume }
  | {
      readonly kind: 'image';
      readonly id: number;
      readonly points: ArchPoint[];
      readonly thicknessMm: number;
      readonly mode: PanoramicMode;
    };

export type PanoramicReply =
  | {
      readonly kind: 'arch';
      readonly arch: ArchFinding | null;
      /** The arch slab's axial MIP (modality values), to draw the points over. */
      readonly slabMip: Float32Array | null;
    }
  | { readonly kind: 'image'; readonly id: number; readonly image: PanoramicImage }
  | { readonly kind: 'error'; readonly message: string };
