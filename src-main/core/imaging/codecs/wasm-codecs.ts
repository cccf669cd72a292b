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
