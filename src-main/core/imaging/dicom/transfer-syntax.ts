/** How a transfer syntax stores pixel data, which decides the decoder. */
export type PixelEncoding =
  | 'native-le'
  | 'native-be'
  | 'rle'
  | 'jpeg-baseline'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg-2000'
  | 'htj2k'
  | 'deflated-frames';

interface TransferSyntax {
  readonly name: string;
  readonly encoding: PixelEncoding;
  /** The data set after the meta header is deflate-compressed. */
  readonly isDeflatedDataSet?: boolean;
}

export const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const DEFLATED_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntax>> = {
  [IMPLICIT_LITTLE_ENDIAN]: { name: 'Implicit VR Little Endian', encoding: 'native-le' },
  [EXPLICIT_LITTLE_ENDIAN]: { name: 'Explicit VR Little Endian', encoding: 'native-le' },
  [EXPLICIT_BIG_ENDIAN]: { name: 'Explicit VR Big Endian', encoding: 'native-be' },
  [DEFLATED_LITTLE_ENDIAN]: {
    name: 'Deflated Explicit VR Little Endian',
    encoding: 'native-le',
    isDeflatedDataSet: true,
  },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', encoding: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline', encoding: 'jpeg-baseline' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended', encoding: 'jpeg-baseline' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.201': { name: 'HTJ2K Lossless', encoding: 'htj2k' },
  '1.2.840.10008.1.2.4.202': { name: 'HTJ2K Lossless RPCL', encoding: 'htj2k' },
  '1.2.840.10008.1.2.4.203': { name: 'HTJ2K', encoding: 'htj2k' },
  '1.2.840.10008.1.2.8.1': {
    name: 'Deflated Image Frame Compression',
    encoding: 'deflated-frames',
  },
};

export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return TRANSFER_SYNTAXES[uid];
}

export function transferSyntaxName(uid: string): string {
  return TRANSFER_SYNTAXES[uid]?.name ?? 'unknown';
}

export function isEncapsulated(encoding: PixelEncoding): boolean {
  return encoding !== 'native-le' && encoding !== 'native-be';
}
