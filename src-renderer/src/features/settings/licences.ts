/**
 * Third-party components bundled with Neurosphere: the packages its code really imports, in the
 * app, the core or the renderer's bundle (scripts/licences.test.ts holds the list to that, both
 * ways). Versions and licences are read from the installed packages' package.json when the
 * renderer is built, so they cannot go stale.
 */
export interface BundledComponent {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
  readonly purpose: string;
}

const PURPOSES: Readonly<Record<string, string>> = {
  react: 'user interface',
  'react-dom': 'user interface',
  'cornerstone-core': '2D image viewer',
  three: '3D tumour viewer',
  zod: 'validation of every message',
  'better-sqlite3': 'database (SQLite)',
  'better-sqlite3-multiple-ciphers':
    'encrypted database of encrypted data folders (SQLite3 Multiple Ciphers, SQLCipher format; MIT)',
  ws: 'live events in serve mode',
  'dicom-parser': 'DICOM reading',
  dcmjs: 'DICOM writing (results as SEG, secondary captures, Encapsulated PDF; MIT)',
  'dcmjs-dimse':
    'DICOM networking (receive from modalities, query/retrieve and send to a PACS; MIT)',
  pdfmake: 'PDF reports (with the Roboto fonts it ships, embedded in each report)',
  'jpeg-lossless-decoder-js': 'DICOM lossless JPEG',
  daikon: 'DICOM 12-bit JPEG Extended (its pdf.js JpegImage decoder, Apache-2.0)',
  '@cornerstonejs/codec-charls': 'DICOM JPEG-LS (CharLS, BSD-3-Clause)',
  '@cornerstonejs/codec-libjpeg-turbo-8bit':
    'DICOM JPEG baseline (libjpeg-turbo, IJG/BSD-3-Clause)',
  '@cornerstonejs/codec-openjpeg': 'DICOM JPEG 2000 (OpenJPEG, BSD-2-Clause)',
  '@cornerstonejs/codec-openjph': 'DICOM HTJ2K (OpenJPH, BSD-2-Clause)',
  'onnxruntime-node': 'on-device inference',
  keytar: 'OS keychain (the audit trail key)',
  electron: 'desktop shell (Chromium, Node.js)',
  'electron-updater': "connected updates from the clinic's own update server (desktop app)",
  '@moonshine-ai/moonshine-js':
    'speech to text for voice captions: its English Moonshine tiny model (MIT; the package ships the ONNX files)',
  'llama-tokenizer-js': "voice captions: the Moonshine model's tokenizer vocabulary (MIT)",
  'opus-decoder': 'voice captions: Opus decoding of WebM recordings (libopus in WebAssembly; MIT)',
};

interface PackageFacts {
  readonly name?: string;
  readonly version?: string;
  readonly license?: string;
}

const manifests = {
  ...import.meta.glob<PackageFacts>(
    '../../../../node_modules/{react,react-dom,cornerstone-core,three,zod,better-sqlite3,better-sqlite3-multiple-ciphers,ws,dicom-parser,dcmjs,dcmjs-dimse,pdfmake,jpeg-lossless-decoder-js,daikon,onnxruntime-node,keytar,electron,electron-updater}/package.json',
    { eager: true, import: 'default' },
  ),
  ...import.meta.glob<PackageFacts>(
    '../../../../node_modules/{@moonshine-ai/moonshine-js,llama-tokenizer-js,opus-decoder}/package.json',
    { eager: true, import: 'default' },
  ),
  ...import.meta.glob<PackageFacts>(
    '../../../../node_modules/@cornerstonejs/codec-*/package.json',
    {
      eager: true,
      import: 'default',
    },
  ),
};

export const BUNDLED_COMPONENTS: readonly BundledComponent[] = Object.values(manifests)
  .filter((facts): facts is Required<PackageFacts> => typeof facts.name === 'string')
  .map((facts) => ({
    name: facts.name,
    version: facts.version ?? '',
    licence: facts.license ?? 'see package',
    purpose: PURPOSES[facts.name] ?? '',
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** Names with a purpose but no installed package (a dependency was removed or renamed). */
export function missingComponents(): string[] {
  const present = new Set(BUNDLED_COMPONENTS.map((c) => c.name));
  return Object.keys(PURPOSES).filter((name) => !present.has(name));
}
