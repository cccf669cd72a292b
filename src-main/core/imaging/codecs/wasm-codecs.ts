import { createRequire } from 'node:module';

/** The shape shared by the Cornerstone WebAssembly decoders (Emscripten embind classes). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

type DecoderClass = new () => WasmDecoder;
type EmscriptenFactory = (options: {
  print: () => void;
  printErr: () => void;
}) => Promise<Record<string, unknown>>;

export type WasmCodecName = 'jpeg-baseline' | 'jpeg-ls' | 'jpeg-2000' | 'htj2k';

const MODULES: Record<WasmCodecName, { path: string; className: string }> = {
  'jpeg-baseline': {
    path: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
    className: 'JPEGDecoder',
  },
  'jpeg-ls': { path: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  'jpeg-2000': { path: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  htj2k: { path: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
};

const require = createRequire(import.meta.url);

/**
 * Loads each WebAssembly codec once per thread, on first use. This cache is the one piece of
 * module state in the imaging code: compiling a codec costs tens of milliseconds and the
 * compiled module holds no patient data. A module that aborted (corrupt input can trap inside
 * WebAssembly) is dropped so the next call compiles a fresh one.
 */
const loaded = new Map<WasmCodecName, Promise<DecoderClass>>();

function load(name: WasmCodecName): Promise<DecoderClass> {
  let pending = loaded.get(name);
  if (pending === undefined) {
    const { path, className } = MODULES[name];
    const factory = require(path) as EmscriptenFactory;
    // The codecs log progress with printf; silence them so logs stay ours.
    pending = factory({ print: () => undefined, printErr: () => undefined }).then((module) => {
      const decoderClass = module[className];
      if (typeof decoderClass !== 'function')
        throw new Error(`${path} does not export ${className}`);
      return decoderClass as DecoderClass;
    });
    loaded.set(name, pending);
  }
  return pending;
}

const SOC = 0xff4f;
const SOT = 0xff90;
const EOC = 0xffd9;

/**
 * Checks that a JPEG 2000 codestream is whole by walking its marker segments and tile-part
 * lengths (Psot) up to the end-of-codestream marker. OpenJPH decodes a cut-off HTJ2K codestream
 * without complaint (missing code-blocks come out as noise), so this is the only way to tell.
 * Throws a plain Error with the reason; bytes after EOC (DICOM's even-length padding) are allowed.
 */
export function checkCodestreamWhole(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const cutShort = (where: string): Error =>
    new Error(`the codestream is cut short (${n} bytes end ${where})`);
  if (n < 2 || view.getUint16(0) !== SOC) return; // not a raw codestream: the decoder judges
  let at = 2;
  for (;;) {
    if (at + 4 > n) throw cutShort('inside its main header');
    const marker = view.getUint16(at);
    if (marker === SOT) break;
    if (marker >>> 8 !== 0xff) throw new Error(`the codestream has no marker at byte ${at}`);
    at += 2 + view.getUint16(at + 2);
  }
  let tileParts = 0;
  while (at + 2 <= n && view.getUint16(at) === SOT) {
    if (at + 10 > n) throw cutShort(`inside tile-part ${tileParts + 1}'s header`);
    const length = view.getUint32(at + 6);
    tileParts++;
    // Psot 0: the last tile-part runs to EOC, which must then end the data (before padding).
    if (length === 0) {
      let end = n;
      while (end > at && bytes[end - 1] === 0) end--;
      at = end - 2;
      break;
    }
    if (at + length > n)
      throw cutShort(`inside tile-part ${tileParts}, which needs ${at + length - n} bytes more`);
    at += length;
  }
  if (at + 2 > n || view.getUint16(at) !== EOC)
    throw cutShort(`without the end-of-codestream marker after tile-part ${tileParts}`);
}

export interface WasmDecoded {
  info: WasmFrameInfo;
  /** A copy owned by JavaScript (the WebAssembly heap is reused by the next decode). */
  data: Uint8Array;
}

/** Decodes one codestream; throws a plain Error with a reason when the codec rejects it. */
export async function decodeWithWasm(
  name: WasmCodecName,
  encoded: Uint8Array,
): Promise<WasmDecoded> {
  if (name === 'htj2k') checkCodestreamWhole(encoded);
  const Decoder = await load(name);
  let decoder: WasmDecoder | undefined;
  try {
    decoder = new Decoder();
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer();
    return { info: { ...info }, data: decoded.slice() };
  } catch (error) {
    // A trap (WebAssembly.RuntimeError) may leave the module's heap inconsistent.
    if (error instanceof Error && error.name === 'RuntimeError') loaded.delete(name);
    // Embind reports C++ exceptions as numbers (pointers); say something a person can use.
    throw new Error(
      typeof error === 'number' ? 'the codestream is damaged' : `decoder failed (${String(error)})`,
      { cause: error },
    );
  } finally {
    try {
      decoder?.delete();
    } catch {
      loaded.delete(name);
    }
  }
}
